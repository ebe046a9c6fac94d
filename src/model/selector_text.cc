#include "model/selector_text.h"

#include "common/strings.h"

namespace egret::model {
namespace {

// Splits on commas that are not inside parentheses.
std::vector<std::string_view> SplitTerms(std::string_view text) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')') --depth;
    if (text[i] == ',' && depth == 0) {
      out.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(text.substr(start));
  return out;
}

Status ParseSetTerm(std::string_view term, size_t op_pos, size_t op_len, LabelRequirement::Op op,
                    LabelSelector* out) {
  LabelRequirement req;
  req.key = std::string(Trim(term.substr(0, op_pos)));
  req.op = op;
  std::string_view rest = Trim(term.substr(op_pos + op_len));
  if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')') {
    return InvalidError("label selector " + Quote(term) + ": expected a value list in parentheses");
  }
  for (std::string_view v : Split(rest.substr(1, rest.size() - 2), ',')) {
    req.values.emplace_back(Trim(v));
  }
  out->match_expressions.push_back(std::move(req));
  return Status::Ok();
}

Status ParseTerm(std::string_view term, LabelSelector* out) {
  if (term.empty()) return InvalidError("label selector: empty term");
  if (size_t p = term.find(" notin "); p != std::string_view::npos) {
    return ParseSetTerm(term, p, 7, LabelRequirement::Op::kNotIn, out);
  }
  if (size_t p = term.find(" in "); p != std::string_view::npos) {
    return ParseSetTerm(term, p, 4, LabelRequirement::Op::kIn, out);
  }
  if (size_t p = term.find("!="); p != std::string_view::npos) {
    out->match_expressions.push_back({std::string(Trim(term.substr(0, p))),
                                      LabelRequirement::Op::kNotIn,
                                      {std::string(Trim(term.substr(p + 2)))}});
    return Status::Ok();
  }
  if (size_t p = term.find('='); p != std::string_view::npos) {
    size_t len = term.substr(p, 2) == "==" ? 2 : 1;
    out->match_labels[std::string(Trim(term.substr(0, p)))] =
        std::string(Trim(term.substr(p + len)));
    return Status::Ok();
  }
  if (term.front() == '!') {
    out->match_expressions.push_back(
        {std::string(Trim(term.substr(1))), LabelRequirement::Op::kDoesNotExist, {}});
    return Status::Ok();
  }
  out->match_expressions.push_back({std::string(term), LabelRequirement::Op::kExists, {}});
  return Status::Ok();
}

}  // namespace

StatusOr<LabelSelector> ParseSelectorText(std::string_view text) {
  LabelSelector sel;
  if (Trim(text).empty()) return sel;
  for (std::string_view raw : SplitTerms(text)) {
    RETURN_IF_ERROR(ParseTerm(Trim(raw), &sel));
  }
  FieldErrors errs;
  for (const auto& [k, v] : sel.match_labels) {
    ValidateLabelKey(k, "labelSelector", &errs);
    ValidateLabelValue(v, "labelSelector", &errs);
  }
  for (const LabelRequirement& r : sel.match_expressions) {
    ValidateLabelKey(r.key, "labelSelector", &errs);
    for (const std::string& v : r.values) ValidateLabelValue(v, "labelSelector", &errs);
  }
  if (!errs.empty()) return InvalidError(errs.errors().front().reason);
  return sel;
}

}  // namespace egret::model
