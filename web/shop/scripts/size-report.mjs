// What a shopper downloads before the live room can play. Budget: 300 KB.
import { checkFirstLoad } from '../../../scripts/first-load-budget.mjs';

checkFirstLoad({
  dist: new URL('../dist/', import.meta.url).pathname,
  title: 'Live room page',
  page: 'pages/Room.tsx',
  budgetKb: 300,
  lazy: ['hls.js'],
  note: 'hls.js loads only where HTTP-FLV cannot play',
});
