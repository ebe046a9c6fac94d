// FormatStatusText (see lab_status.h): the status document as a summary and aligned tables.
#include <algorithm>

#include "common/strings.h"
#include "lab/lab_status.h"

namespace egret::lab {
namespace {

using Row = std::vector<std::string>;

std::string Field(const doc::Value& v, std::string_view key) {
  const doc::Value* f = v.Find(key);
  if (!f) return "";
  if (f->is_string()) return f->as_string();
  if (f->is_bool()) return f->as_bool() ? "true" : "false";
  if (f->is_int()) return std::to_string(f->as_int());
  if (f->is_list()) {
    std::vector<std::string> parts;
    for (const doc::Value& item : f->as_list()) {
      if (item.is_string()) parts.push_back(item.as_string());
    }
    return parts.empty() ? "-" : Join(parts, ",");
  }
  if (f->is_map()) {
    std::vector<std::string> parts;
    for (const doc::Member& m : f->as_map()) {
      parts.push_back(m.key + (m.value.is_string() ? "=" + m.value.as_string() : ""));
    }
    return parts.empty() ? "-" : Join(parts, ",");
  }
  return "";
}

std::string Table(const std::vector<Row>& rows) {
  std::vector<size_t> widths;
  for (const Row& r : rows) {
    widths.resize(std::max(widths.size(), r.size()));
    for (size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], r[i].size());
  }
  std::string out;
  for (const Row& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(widths[i] - r[i].size() + 3, ' ');
    }
    out += line + "\n";
  }
  return out;
}

const doc::List& Items(const doc::Value& status, std::string_view key) {
  static const doc::List kEmpty;
  const doc::Value* v = status.Find(key);
  return v && v->is_list() ? v->as_list() : kEmpty;
}

std::string AgentState(const doc::Value& node) {
  if (Field(node, "up") != "true") return "stopped";
  const doc::Value* agent = node.Find("agent");
  if (!agent || Field(*agent, "pid") == "0") return "up (no agent)";
  return Field(*agent, "running") == "true" ? "up" : "up (agent not running)";
}

}  // namespace

std::string FormatStatusText(const doc::Value& s) {
  std::string out = "lab " + Quote(Field(s, "name")) + ": " + Field(s, "phase") + ", " +
                    Field(s, "ipFamily") + ", " + Field(s, "mode") + "; API " + Field(s, "api");
  const doc::Value* controller = s.Find("controller");
  bool running = controller && Field(*controller, "running") == "true";
  out += running ? "\n" : " (controller not running)\n";
  const doc::Value* underlay = s.Find("underlay");
  out += "underlay " + (underlay ? Field(*underlay, "cidrs") : "") + ", router " +
         (underlay ? Field(*underlay, "router") : "") + "; eipPool " + Field(s, "eipPool") + "\n\n";
  std::vector<Row> nodes{{"NODE", "STATE", "ADDRESSES", "POD CIDRS", "LABELS"}};
  for (const doc::Value& n : Items(s, "nodes")) {
    nodes.push_back({Field(n, "name"), AgentState(n), Field(n, "addresses"), Field(n, "podCIDRs"),
                     Field(n, "labels")});
  }
  out += Table(nodes);
  if (!Items(s, "pods").empty()) {
    std::vector<Row> pods{{"POD", "NODE", "ADDRESSES", "SERVE"}};
    for (const doc::Value& p : Items(s, "pods")) {
      pods.push_back({Field(p, "namespace") + "/" + Field(p, "name"), Field(p, "node"),
                      Field(p, "addresses"), Field(p, "serve")});
    }
    out += "\n" + Table(pods);
  }
  if (!Items(s, "externals").empty()) {
    std::vector<Row> exts{{"EXTERNAL", "ADDRESSES", "SERVE"}};
    for (const doc::Value& e : Items(s, "externals")) {
      exts.push_back({"ext:" + Field(e, "name"), Field(e, "addresses"), Field(e, "serve")});
    }
    out += "\n" + Table(exts);
  }
  return out;
}

}  // namespace egret::lab
