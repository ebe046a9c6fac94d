// The egret binary: `egret controller`, `egret agent` and `egret lab` run those programs;
// every other command is the CLI.
#include <string>
#include <vector>

#include "agent/agent.h"
#include "cli/cli.h"
#include "controller/controller_main.h"
#include "lab/lab_main.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "controller") {
    return egret::controller::RunController({args.begin() + 1, args.end()});
  }
  if (!args.empty() && args[0] == "agent") {
    return egret::agent::RunAgent({args.begin() + 1, args.end()});
  }
  if (!args.empty() && args[0] == "lab") return egret::lab::RunLab({args.begin() + 1, args.end()});
  return egret::cli::RunCli(args);
}
