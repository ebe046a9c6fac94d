// `egret controller`: opens the datastore and serves the Egret API until SIGINT/SIGTERM.
#pragma once

#include <string>
#include <vector>

namespace egret::controller {

int RunController(const std::vector<std::string>& args);

}  // namespace egret::controller
