import { Migration20261124000001 } from './Migration20261124000001';
import { Migration20261201000001 } from './Migration20261201000001';
import { Migration20261202120001 } from './Migration20261202120001';
import { Migration20261203130001 } from './Migration20261203130001';

export const migrations = [
  { name: 'Migration20261124000001', class: Migration20261124000001 },
  { name: 'Migration20261201000001', class: Migration20261201000001 },
  { name: 'Migration20261202120001', class: Migration20261202120001 },
  { name: 'Migration20261203130001', class: Migration20261203130001 },
];
