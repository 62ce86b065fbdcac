import { Migration20261124000001 } from './Migration20261124000001';

export const migrations = [{ name: 'Migration20261124000001', class: Migration20261124000001 }];
