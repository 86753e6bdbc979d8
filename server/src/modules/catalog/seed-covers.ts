// Demo cover art drawn as vector shapes, not emoji: an emoji glyph renders as an empty box on
// machines without a colour-emoji font (most servers and many Android phones' webviews).
export type CoverIcon =
  | 'mango'
  | 'berry'
  | 'cherry'
  | 'pineapple'
  | 'citrus'
  | 'melon'
  | 'dragonfruit'
  | 'tee'
  | 'blouse'
  | 'dress'
  | 'coat'
  | 'bottle';

const W = 'fill="#ffffff"';
const LEAF = `<path d="M300 150 q40 -60 100 -50 q-30 60 -100 50z" fill="#3f9b3a"/>`;
const round = (rx: number, ry: number, extra = '') =>
  `<ellipse cx="300" cy="270" rx="${rx}" ry="${ry}" ${W} opacity="0.92"/>${LEAF}${extra}`;
const seeds = Array.from({ length: 9 }, (_, i) => {
  const [x, y] = [250 + (i % 3) * 50, 230 + Math.floor(i / 3) * 50];
  return `<ellipse cx="${x}" cy="${y}" rx="6" ry="10" fill="#b03040"/>`;
}).join('');

const SHAPES: Record<CoverIcon, string> = {
  mango: round(110, 130),
  berry: `<path d="M190 190 q110 -40 220 0 q0 150 -110 230 q-110 -80 -110 -230z" ${W}/>${LEAF}${seeds}`,
  cherry: `<circle cx="240" cy="320" r="70" ${W}/><circle cx="370" cy="320" r="70" ${W}/>
<path d="M240 250 q40 -110 80 -120 M370 250 q-20 -100 -50 -120" stroke="#3f9b3a" stroke-width="10" fill="none"/>`,
  pineapple: `${round(95, 130)}<path d="M300 140 l-40 -70 l40 30 l40 -30z" fill="#3f9b3a"/>
<path d="M220 220 l160 120 M380 220 l-160 120 M220 300 l120 90 M380 300 l-120 90" stroke="#e0a000" stroke-width="6"/>`,
  citrus: round(125, 125, `<circle cx="300" cy="270" r="80" fill="none" stroke="#f0a020" stroke-width="6"/>`),
  melon: round(
    140,
    115,
    `<path d="M170 270 q130 -90 260 0 M180 310 q120 -70 240 0" stroke="#7fb060" stroke-width="6"
 fill="none"/>`,
  ),
  dragonfruit: round(
    105,
    135,
    `<path d="M220 200 l-40 -30 M380 200 l40 -30 M210 320 l-45 10 M390 320 l45 10"
 stroke="#3f9b3a" stroke-width="12"/>`,
  ),
  tee: `<path d="M220 140 l-110 60 l40 80 l50 -20 v200 h200 v-200 l50 20 l40 -80 l-110 -60 q-80 50 -160 0z" ${W}/>`,
  blouse: `<path d="M230 140 l-90 50 l30 90 l40 -15 v195 h180 v-195 l40 15 l30 -90 l-90 -50 l-70 70z" ${W}/>`,
  dress: `<path d="M250 120 h100 l-10 90 l110 240 h-300 l110 -240z" ${W}/>`,
  coat: `<path d="M220 130 l-90 50 v280 h90 v-200 h160 v200 h90 v-280 l-90 -50 l-80 60z" ${W}/>
<path d="M300 190 v270" stroke="#999999" stroke-width="6"/>`,
  bottle: `<rect x="270" y="110" width="60" height="50" ${W}/><rect x="230" y="160" width="140" height="260" rx="30"
 ${W}/><rect x="250" y="240" width="100" height="90" fill="#dddddd"/>`,
};

export function coverSvg(p: { title: string; color: string; icon: CoverIcon }): Buffer {
  const title = p.title.slice(0, 10).replace(/[<&>"]/g, '');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600">
<rect width="600" height="600" fill="${p.color}"/><circle cx="300" cy="270" r="190" fill="#ffffff" opacity="0.15"/>
${SHAPES[p.icon]}
<text x="300" y="540" font-size="40" fill="#ffffff" text-anchor="middle" font-family="sans-serif">${title}</text></svg>`);
}
