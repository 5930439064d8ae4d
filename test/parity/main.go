// Command parity prints what risingwave-operator v0.17.2 itself would create for RisingWave objects,
// and what kube-apiserver v1.36.3 would store for built-in objects, so test/parity can compare the
// hook's render with the operator's own code rather than with our reading of it.
//
//	parity operator CRD.yaml < [RisingWave, ...]   -> [{"objects":[...]} | {"rejected":"..."}, ...]
//	parity default           < [object, ...]       -> [object as the API server stores it, ...]
//
// Both modes take and print one JSON array so a test run pays the process start once for many inputs.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: parity operator CRD.yaml | parity default")
	}
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err.Error())
	}
	var items []json.RawMessage
	if err := json.Unmarshal(in, &items); err != nil {
		fail("stdin must be a JSON array: " + err.Error())
	}
	var out []any
	switch os.Args[1] {
	case "operator":
		if len(os.Args) != 3 {
			fail("usage: parity operator CRD.yaml")
		}
		out, err = operatorMode(os.Args[2], items)
	case "default":
		out, err = defaultMode(items)
	default:
		fail("unknown mode " + os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "parity:", msg)
	os.Exit(2)
}
