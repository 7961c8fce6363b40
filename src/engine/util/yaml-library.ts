// The YAML library behind one static import. Loaded with `import('./yaml-library.js')`, its named
// exports survive bundling: a dynamic `import('yaml')` of the package itself (CommonJS for Node)
// gives only `default` in the bundle, and every YAML check then failed with "t is not a function".
export { isMap, isScalar, isSeq, LineCounter, parse, parseAllDocuments, parseDocument, stringify, visit, type Node } from 'yaml';
