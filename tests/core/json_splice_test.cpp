// detail::dump_with_spliced (src/core/json_splice.hpp): embedding already serialised JSON text
// must give the same document as parsing it in, at any indent, and fall back to parsing when a
// marker is ambiguous.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "core/json_splice.hpp"
#include "imbal/model_registry.hpp"

namespace imbal {
namespace {

using nlohmann::json;

json reference(json document, const std::vector<detail::SplicePart>& parts) {
  for (const auto& p : parts) document[p.where] = json::parse(p.text);
  return document;
}

TEST(JsonSplice, EqualsParsingThePartsIn) {
  const std::string a = json{{"x", {1.5, 2e-300, -0.0}}, {"s", "q\"uote\n"}}.dump();
  const std::string b = json::array({json::object(), nullptr, "\x01imbal-splice-0\x01"}).dump();
  json doc{{"head", 1}, {"members", json::array({json{{"model", detail::splice_marker(0)}, {"w", 0.5}},
                                                 json{{"model", detail::splice_marker(1)}}})}};
  const std::vector<detail::SplicePart> parts{{json::json_pointer("/members/0/model"), a},
                                              {json::json_pointer("/members/1/model"), b}};
  for (const int indent : {-1, 0, 1, 4}) {
    const std::string out = detail::dump_with_spliced(doc, parts, indent);
    EXPECT_EQ(json::parse(out), reference(doc, parts)) << indent;
    // The parts are embedded verbatim (compact), not re-serialised.
    EXPECT_NE(out.find(a), std::string::npos) << indent;
    EXPECT_NE(out.find(b), std::string::npos) << indent;
  }
}

TEST(JsonSplice, AmbiguousMarkerFallsBackToParsing) {
  // Another string of the document holds marker 0 itself: splicing by text would be wrong.
  const std::string part = R"({"k":[1,2,3]})";
  // ("a_user_text" sorts first, so a first-match splice would land in it.)
  json doc{{"b_model", detail::splice_marker(0)}, {"a_user_text", detail::splice_marker(0)}};
  const std::vector<detail::SplicePart> parts{{json::json_pointer("/b_model"), part}};
  const std::string out = detail::dump_with_spliced(doc, parts, 1);
  const json expected{{"b_model", json::parse(part)}, {"a_user_text", detail::splice_marker(0)}};
  EXPECT_EQ(json::parse(out), expected);
}

TEST(JsonSplice, ModelFileEqualsTheParsedState) {
  // Model::save_json splices the state text in: the file must be valid JSON with the state
  // under "state", and load back to the same model.
  auto m = make_model("decision-tree", {"max_depth=3"}, {});
  const std::vector<double> X{0, 1, 2, 3, 4, 5, 6, 7};
  const std::vector<std::int32_t> y{0, 0, 0, 1, 1, 1, 0, 1};
  m->fit(MatrixView(X.data(), 8, 1), y, 2);
  const json file = json::parse(m->save_json());
  EXPECT_TRUE(file["state"]["tree"].is_object());
  EXPECT_EQ(file["model"], "decision-tree");
  EXPECT_EQ(file["n_features"], 1);
  auto back = make_model("decision-tree", {"max_depth=3"}, {});
  back->load_json(m->save_json(), "test");
  EXPECT_EQ(back->save_json(), m->save_json());
}

}  // namespace
}  // namespace imbal
