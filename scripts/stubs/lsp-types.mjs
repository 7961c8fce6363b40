// Stands in for vscode-languageserver-types inside dockerfile-ast (27 KB, parsed at every verify):
// the parser calls only Position.create and Range.create, which build these plain literals.
const MAX = 2147483647; // uinteger.MAX_VALUE, what the library stores for Number.MAX_VALUE

export const Position = {
  create: (line, character) => ({ line: line === Number.MAX_VALUE ? MAX : line, character: character === Number.MAX_VALUE ? MAX : character }),
};

export const Range = {
  create: (one, two, three, four) =>
    typeof one === 'number' ? { start: Position.create(one, two), end: Position.create(three, four) } : { start: one, end: two },
};
