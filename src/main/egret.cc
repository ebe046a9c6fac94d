// The egret binary: `egret controller` runs the controller; every other command is the CLI.
#include <string>
#include <vector>

#include "cli/cli.h"
#include "controller/controller_main.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "controller") {
    return egret::controller::RunController({args.begin() + 1, args.end()});
  }
  return egret::cli::RunCli(args);
}
