import { Migration20261123000001 } from './Migration20261123000001';

export const migrations = [{ name: 'Migration20261123000001', class: Migration20261123000001 }];
