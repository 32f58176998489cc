// A PostScript document for ghostscript to render into fax pages (interop tests, bench): text in
// several fonts and sizes, rules, a grey disc (dithered), a dense page of digits and fine lines.

export function faxTestDocument(pages = 2): string {
  const lines: string[] = ['%!PS'];
  const fonts = ['Times-Roman', 'Helvetica', 'Courier', 'Helvetica-Bold', 'Times-Italic'];
  for (let pg = 0; pg < pages; pg++) {
    if (pg % 2 === 0) {
      let y = 760;
      for (let i = 0; i < 60; i++) {
        lines.push(`/${fonts[(i + pg) % fonts.length]} findfont ${8 + (i % 7) * 2} scalefont setfont`);
        lines.push(`40 ${y} moveto (Line ${i} of page ${pg + 1}: confidential fax for box ${(i * 7) % 100}, the quick brown fox jumps over the lazy dog.) show`);
        y -= 12 + (i % 7) * 2;
        if (y < 60) break;
      }
      lines.push('1 setlinewidth 40 50 moveto 560 50 lineto stroke');
      lines.push('newpath 450 300 80 0 360 arc 0.5 setgray fill 0 setgray');
    } else {
      lines.push('/Courier findfont 9 scalefont setfont');
      for (let i = 0; i < 60; i++) lines.push(`${30 + (i % 3) * 5} ${780 - i * 12} moveto (${'0123456789ABCDEF'.repeat(4).slice(i % 16, i % 16 + 48)}) show`);
      lines.push('0.1 setlinewidth 0 1 50 { dup 10 mul 60 add 100 moveto 0 100 rlineto stroke pop } for');
    }
    lines.push('showpage');
  }
  return lines.join('\n') + '\n';
}
