/** `npm run bench [-- --json]`: runs the benchmarks (today: the matcher bench). */
import { main } from './matcher.js';

main(process.argv.slice(2));
