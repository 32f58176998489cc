// Node's file-system errors as the one line a person reads ("no such folder", "permission
// denied"), without the syscall noise or a stack trace.
const WORDS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EEXIST: 'already exists',
  EINVAL: 'not a regular file',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
  EIO: 'input/output error',
};

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && WORDS[code]) return `${WORDS[code]} (${code})`;
  return code ?? (e as Error)?.message ?? String(e);
}

/** True when `e` is one of Node's system errors (it has an errno code such as ENOENT). */
export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return typeof (e as NodeJS.ErrnoException)?.code === 'string' && typeof (e as NodeJS.ErrnoException)?.syscall === 'string';
}
