// The `egret` command line (kubectl habits): apply, delete, get, describe, api-resources,
// version. Errors go to stderr and make the exit code 1.
#pragma once

#include <string>
#include <vector>

namespace egret::cli {

// args excludes the program name.
int RunCli(const std::vector<std::string>& args);

}  // namespace egret::cli
