/** The SQLite trace store: writer (`openStore`), reader (`openStoreReader`), exports. See docs/store.md. */
export { openStore, openStoreReader, Store, type StoreOptions, type StoreReader } from './store';
export { StoreQueries, type TracePage, type TraceQuery, type TraceSort, type SortOrder } from './queries';
export { searchIndexNote, type SearchIndexStatus } from './search-attach';
export { StoreError, type StoreErrorCode } from './errors';
export { SCHEMA_VERSION } from './schema';
export * from './types';
export { exportJsonl, exportTrlCompletions, TRL_COLUMNS, type ExportOptions, type TrlExportOptions } from './export';
export { runLiveness, type RunLiveness } from './run-liveness';
