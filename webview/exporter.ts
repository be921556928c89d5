// Export payloads, made in the page (the extension writes the files): SVG serialised from the
// drawn figure, PNG by drawing that SVG on a canvas (a data: image, allowed by img-src), CSV of the
// figure's rows, JSON of the results (non-finite numbers as null, as in results files).
export function serializeSvg(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  // the nonce is a per-load secret of the page, not part of the figure
  for (const s of Array.from(clone.querySelectorAll('style'))) s.removeAttribute('nonce');
  // tooltips in their current state are not part of the figure either
  for (const t of Array.from(clone.querySelectorAll('g[aria-label="tip"]'))) t.replaceChildren();
  return new XMLSerializer().serializeToString(clone);
}

export function svgToPng(svgText: string, width: number, height: number, background: string, scale = 2): Promise<string> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const ctx = canvas.getContext('2d');
      if (!ctx) return reject(new Error('no 2d canvas'));
      ctx.fillStyle = background;
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      resolve(canvas.toDataURL('image/png'));
    };
    img.onerror = () => reject(new Error('could not draw the SVG'));
    img.src = 'data:image/svg+xml;base64,' + btoa(unescape(encodeURIComponent(svgText)));
  });
}

export const resultsJson = (v: unknown) =>
  JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x), 1);
