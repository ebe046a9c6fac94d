// What `egret lab status` reports: the recorded state joined with what is live (processes
// running, the Node objects' pod CIDRs and labels). The document builder is pure.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "doc/value.h"
#include "lab/lab_api.h"
#include "lab/lab_state.h"

namespace egret::lab {

struct LiveView {
  std::function<bool(const ProcessRecord&)> running;
  std::map<std::string, NodeInfo> nodes;  // by node name; absent when the API was unreachable
};

// The `lab status -o json` document (docs/reference/lab.md, "status").
doc::Value BuildStatusDocument(const LabState& state, const LiveView& live);
// The same as text: a summary and tables of nodes, pods and external hosts.
std::string FormatStatusText(const doc::Value& status);

// Gathers the live view (asking the controller when it runs) and prints the status.
Status PrintLabStatus(const LabState& state, bool json);

}  // namespace egret::lab
