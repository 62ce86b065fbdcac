import { Migration20261123100001 } from './Migration20261123100001';
import { Migration20261124000010 } from './Migration20261124000010';
import { Migration20261124000020 } from './Migration20261124000020';
import { Migration20261124000030 } from './Migration20261124000030';
import { Migration20261124000040 } from './Migration20261124000040';
import { Migration20261201000001 } from './Migration20261201000001';
import { Migration20261202120001 } from './Migration20261202120001';
import { Migration20261203130001 } from './Migration20261203130001';

export const migrations = [
  { name: 'Migration20261123100001', class: Migration20261123100001 },
  { name: 'Migration20261124000010', class: Migration20261124000010 },
  { name: 'Migration20261124000020', class: Migration20261124000020 },
  { name: 'Migration20261124000030', class: Migration20261124000030 },
  { name: 'Migration20261124000040', class: Migration20261124000040 },
  { name: 'Migration20261201000001', class: Migration20261201000001 },
  { name: 'Migration20261202120001', class: Migration20261202120001 },
  { name: 'Migration20261203130001', class: Migration20261203130001 },
];
