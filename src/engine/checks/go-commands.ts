/** A shell command that compiles Go: `go build` or `go install`, at the start or after a separator. */
export const GO_COMPILE = /(^|[\s;&|(])go\s+(build|install)\b/;

/** A shell command that runs Go's tests: `go test`, at the start or after a separator. */
export const GO_TEST = /(^|[\s;&|(])go\s+test\b/;
