import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allKeywords } from './rules/catalog.ts';
import { keywordPattern } from './src/secrets/prefilter.ts';
const files: string[] = [];
const walk = (d: string) => { for (const e of readdirSync(d, { withFileTypes: true })) { const p = join(d, e.name); if (e.isDirectory()) walk(p); else files.push(readFileSync(p, 'utf8')); } };
walk('/tmp/gitwarden-bench/corpus-52mb-7');
const kw = keywordPattern(allKeywords());
function time(name: string, f: () => number) { const ts: number[] = []; let c = 0; for (let i = 0; i < 5; i++) { const t = performance.now(); c = f(); ts.push(performance.now() - t); } ts.sort((a,b)=>a-b); console.log(name.padEnd(30), c, 'min', ts[0]!.toFixed(0), 'med', ts[2]!.toFixed(0)); }
time('lower+trie', () => { let c = 0; for (const t of files) { const l = t.toLowerCase(); const re = kw.lower; re.lastIndex = 0; while (re.exec(l)) c++; } return c; });
time('trie gi on original', () => { let c = 0; for (const t of files) { const re = kw.anyCase; re.lastIndex = 0; while (re.exec(t)) c++; } return c; });
time('toLowerCase only', () => { let c = 0; for (const t of files) c += t.toLowerCase().length; return c; });
// split: words vs special
const words = allKeywords().filter(k => /^[a-z0-9 ]+$/.test(k));
const special = allKeywords().filter(k => !/^[a-z0-9 ]+$/.test(k));
console.log('words', words.length, 'special', special.length, words.join(','));
const kwW = keywordPattern(words), kwS = keywordPattern(special);
time('lower+words', () => { let c = 0; for (const t of files) { const l = t.toLowerCase(); const re = kwW.lower; re.lastIndex = 0; while (re.exec(l)) c++; } return c; });
time('lower+special', () => { let c = 0; for (const t of files) { const l = t.toLowerCase(); const re = kwS.lower; re.lastIndex = 0; while (re.exec(l)) c++; } return c; });
time('indexOf key', () => { let c = 0; for (const t of files) { const l = t.toLowerCase(); let i = -1; while ((i = l.indexOf('key', i + 1)) !== -1) c++; } return c; });
