// `egret lab ...`: a cluster on one machine, out of network namespaces (docs/reference/lab.md).
#pragma once

#include <string>
#include <vector>

namespace egret::lab {

// args are the words after `lab`. Returns the exit code: 0 on success, 1 on any error (printed
// on stderr); `lab exec` returns its command's exit code.
int RunLab(const std::vector<std::string>& args);

}  // namespace egret::lab
