// dynalite 4 ships no type declarations; this is the part local-dynamo uses.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB directory; in memory when absent. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }

  /** An HTTP server speaking DynamoDB's JSON protocol; its close() also closes the LevelDB. */
  function dynalite(options?: DynaliteOptions): Server;
  export default dynalite;
}
