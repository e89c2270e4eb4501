// Package chartutil is a copy of the parts of Helm v4.3.1 that turn a
// chart's values and the user's into the values its templates see:
// pkg/chart/common/util (coalesce.go, values.go), pkg/chart/v2/util
// (dependencies.go, compatible.go) and internal/copystructure, under
// their Apache 2.0 licence and copyright headers.
//
// Why a copy: Helm's packages also hold values.schema.json validation,
// which imports github.com/santhosh-tekuri/jsonschema/v6, whose init()
// compiles every JSON Schema meta-schema: 5 to 7 ms at the start of every
// kubegate process, a seventh of the time a one-file lint may take, paid
// whether a chart is linted or not. Nothing else in Helm's rendering path
// imports it.
//
// Changes from Helm: the package name; warnings Helm logs (to stderr, with
// log and slog) are dropped; ToRenderValues does no schema validation
// (ToRenderValuesWithSchemaValidation and jsonschema.go are left out).
// chartutil_test.go holds the copy to Helm's own functions, which tests may
// import, on the testdata charts.
package chartutil
