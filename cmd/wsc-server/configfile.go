package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/peterbourgon/ff/v3"
	"github.com/peterbourgon/ff/v3/fftoml"
	"github.com/peterbourgon/ff/v3/ffyaml"
)

// configFlag names the file of settings; ff reads it after the command line
// and the environment, so it only fills what those two left unset.
const configFlag = "config"

// configFileParser is ff's file parser for fs: ff hands over only a reader,
// but calls the parser after the command line and the environment are read,
// so the -config flag already holds the name whose extension picks the format.
func configFileParser(fs *flag.FlagSet) ff.ConfigFileParser {
	return func(r io.Reader, set func(name, value string) error) error {
		name := fs.Lookup(configFlag).Value.String()
		switch strings.ToLower(filepath.Ext(name)) {
		case ".toml":
			return fftoml.Parser(r, set)
		case ".yaml", ".yml":
			return ffyaml.Parser(r, set)
		case ".json":
			return ff.JSONParser(r, set)
		default:
			return fmt.Errorf("-config %q: the file must be .toml, .yaml, .yml or .json", name)
		}
	}
}
