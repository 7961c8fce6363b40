// Stands in for a module the installed CLI never uses (see scripts/build.mjs).
export {};
