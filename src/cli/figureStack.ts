// The figure stack: Observable Plot and d3 (src/core/figures), linkedom's DOM and resvg
// (render.ts). In dist/ it is its own bundle, dist/render.js, which dist/cli.js loads only when
// a figure is drawn (lazy.ts): parsing and initialising these modules costs more
// than a whole `sgdexp check`, and `check`, `merge`, `--version` and a run whose outputs are
// up to date draw nothing.
export { buildFigure, paperFigure, LIGHT_THEME, PRINT_THEME } from '../core/figures';
export { freshDocument, svgToPng, toStandaloneSvg } from './render';
