import { Migration20261123100001 } from './Migration20261123100001';

export const migrations = [{ name: 'Migration20261123100001', class: Migration20261123100001 }];
