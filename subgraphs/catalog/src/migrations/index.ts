import { Migration20261124000001 } from './Migration20261124000001';
import { Migration20261201000001 } from './Migration20261201000001';
import { Migration20261202000001 } from './Migration20261202000001';
import { Migration20261202000002 } from './Migration20261202000002';
import { Migration20261202120001 } from './Migration20261202120001';
import { Migration20261203000001 } from './Migration20261203000001';
import { Migration20261203000002 } from './Migration20261203000002';
import { Migration20261203120001 } from './Migration20261203120001';
import { Migration20261203130001 } from './Migration20261203130001';

export const migrations = [
  { name: 'Migration20261124000001', class: Migration20261124000001 },
  { name: 'Migration20261201000001', class: Migration20261201000001 },
  { name: 'Migration20261202000001', class: Migration20261202000001 },
  { name: 'Migration20261202000002', class: Migration20261202000002 },
  { name: 'Migration20261202120001', class: Migration20261202120001 },
  { name: 'Migration20261203000001', class: Migration20261203000001 },
  { name: 'Migration20261203000002', class: Migration20261203000002 },
  { name: 'Migration20261203120001', class: Migration20261203120001 },
  { name: 'Migration20261203130001', class: Migration20261203130001 },
];
