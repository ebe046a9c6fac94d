#include "core/nodefw/ruleset_delta.h"

#include <algorithm>
#include <set>

#include "common/strings.h"
#include "core/nodefw/node_firewall.h"

namespace egret::nodefw {
namespace {

constexpr std::string_view kElementsOpen = "\t\telements = {";
constexpr std::string_view kElementsClose = "\t\t}";
constexpr std::string_view kSetClose = "\t}";

// `\tset NAME {` or `\tmap NAME {`: fills `out` and returns true.
bool ParseSetHeader(std::string_view line, SetContents* out) {
  for (std::string_view kw : {std::string_view("\tset "), std::string_view("\tmap ")}) {
    if (!line.starts_with(kw) || !line.ends_with(" {")) continue;
    std::string_view name = line.substr(kw.size(), line.size() - kw.size() - 2);
    if (name.empty() || name.find_first_of(" \t{}") != std::string_view::npos) return false;
    *out = SetContents{.name = std::string(name), .map = kw == "\tmap "};
    return true;
  }
  return false;
}

Status LayoutError(size_t line_no, std::string_view line, std::string_view what) {
  return InvalidError("firewall script line " + std::to_string(line_no) + ": " + std::string(what) +
                      ": " + Quote(line));
}

// Splits line by line; `state` tracks where in a set block the parser is.
class Splitter {
 public:
  Status Line(size_t no, std::string_view line) {
    switch (state_) {
      case State::kOutside:
        if (ParseSetHeader(line, &current_)) state_ = State::kInSet;
        Keep(line);
        return Status::Ok();
      case State::kInSet:
        return InSet(no, line);
      case State::kInElements:
        return InElements(no, line);
    }
    return Status::Ok();
  }

  StatusOr<SplitRuleset> Finish() {
    if (state_ != State::kOutside) {
      return InvalidError("firewall script ends inside set " + Quote(current_.name));
    }
    return std::move(out_);
  }

 private:
  enum class State { kOutside, kInSet, kInElements };

  void Keep(std::string_view line) {
    out_.structure += line;
    out_.structure += '\n';
  }

  Status InSet(size_t no, std::string_view line) {
    if (line == kSetClose) {
      out_.sets.push_back(std::move(current_));
      state_ = State::kOutside;
    } else if (line == kElementsOpen) {
      state_ = State::kInElements;
      return Status::Ok();  // not structure
    } else if (line.starts_with("\t\telements")) {
      return LayoutError(no, line, "elements not written one per line");
    } else if (line.starts_with("\t\tflags ") && line.find("interval") != std::string_view::npos) {
      current_.interval = true;
    }
    Keep(line);
    return Status::Ok();
  }

  Status InElements(size_t no, std::string_view line) {
    if (line == kElementsClose) {
      state_ = State::kInSet;
      return Status::Ok();
    }
    if (!line.starts_with("\t\t\t")) return LayoutError(no, line, "unexpected line in elements");
    std::string_view element = line.substr(3);
    if (element.ends_with(',')) element.remove_suffix(1);
    if (element.empty() || element.find('\t') != std::string_view::npos) {
      return LayoutError(no, line, "not one element");
    }
    current_.elements.emplace_back(element);
    return Status::Ok();
  }

  State state_ = State::kOutside;
  SetContents current_;
  SplitRuleset out_;
};

// The first line in which two structures differ, for the log.
std::string FirstDifference(std::string_view a, std::string_view b) {
  size_t line_no = 1;
  while (true) {
    size_t ea = a.find('\n'), eb = b.find('\n');
    std::string_view la = a.substr(0, ea), lb = b.substr(0, eb);
    if (la != lb || ea == std::string_view::npos || eb == std::string_view::npos) {
      std::string_view shown = lb.empty() ? la : lb;
      while (!shown.empty() && shown.front() == '\t') shown.remove_prefix(1);
      return "structure changed at line " + std::to_string(line_no) + ": " +
             Quote(shown.substr(0, 100));
    }
    a.remove_prefix(ea + 1);
    b.remove_prefix(eb + 1);
    ++line_no;
  }
}

SetDelta DiffSet(const SetContents& before, const SetContents& after) {
  const std::set<std::string_view> old_elems(before.elements.begin(), before.elements.end());
  const std::set<std::string_view> new_elems(after.elements.begin(), after.elements.end());
  SetDelta d{.name = after.name};
  std::set<std::string_view> removed_keys;
  for (std::string_view e : old_elems) {
    if (!new_elems.contains(e)) removed_keys.insert(ElementKey(e));
  }
  for (std::string_view k : removed_keys) d.removed.emplace_back(k);
  for (std::string_view e : new_elems) {
    if (!old_elems.contains(e)) d.added.emplace_back(e);
  }
  return d;
}

void AppendCommand(std::string_view verb, std::string_view set,
                   const std::vector<std::string>& elements, std::string* out) {
  if (elements.empty()) return;
  *out += std::string(verb) + " element " + std::string(kTableFamily) + " " +
          std::string(kTableName) + " " + std::string(set) + " {\n";
  for (size_t i = 0; i < elements.size(); ++i) {
    *out += "\t" + elements[i] + (i + 1 < elements.size() ? ",\n" : "\n");
  }
  *out += "}\n";
}

}  // namespace

StatusOr<SplitRuleset> SplitScript(std::string_view script) {
  Splitter splitter;
  size_t no = 1;
  while (!script.empty()) {
    size_t end = script.find('\n');
    std::string_view line = script.substr(0, end);
    RETURN_IF_ERROR(splitter.Line(no++, line));
    if (end == std::string_view::npos) break;
    script.remove_prefix(end + 1);
  }
  return splitter.Finish();
}

std::string_view ElementKey(std::string_view element) {
  size_t end = std::min(element.find(" comment \""), element.find(" : "));
  return end == std::string_view::npos ? element : element.substr(0, end);
}

size_t RulesetDelta::added() const {
  size_t n = 0;
  for (const SetDelta& s : sets) n += s.added.size();
  return n;
}

size_t RulesetDelta::removed() const {
  size_t n = 0;
  for (const SetDelta& s : sets) n += s.removed.size();
  return n;
}

RulesetDelta DiffRulesets(const SplitRuleset& before, const SplitRuleset& after) {
  RulesetDelta delta;
  if (before.structure != after.structure) {
    delta.replace = true;
    delta.reason = FirstDifference(before.structure, after.structure);
    return delta;
  }
  // Equal structures declare the same sets in the same order; checked all the same, since a
  // mismatch here would send elements to the wrong set.
  if (before.sets.size() != after.sets.size()) {
    return {.replace = true, .reason = "the sets differ"};
  }
  for (size_t i = 0; i < after.sets.size(); ++i) {
    const SetContents& b = before.sets[i];
    const SetContents& a = after.sets[i];
    if (b.name != a.name || b.map != a.map || b.interval != a.interval) {
      return {.replace = true, .reason = "set " + Quote(a.name) + " differs"};
    }
    SetDelta d = DiffSet(b, a);
    if (!d.removed.empty() || !d.added.empty()) delta.sets.push_back(std::move(d));
  }
  return delta;
}

std::string RenderRulesetDelta(const RulesetDelta& delta) {
  if (delta.replace) return "";
  std::string deletes, adds;
  for (const SetDelta& s : delta.sets) {
    AppendCommand("delete", s.name, s.removed, &deletes);
    AppendCommand("add", s.name, s.added, &adds);
  }
  if (deletes.empty() && adds.empty()) return "";
  return "# Element changes of table inet egret (one transaction): deletions first, so that\n"
         "# no interval added here overlaps one that is about to go.\n" +
         deletes + adds;
}

}  // namespace egret::nodefw
