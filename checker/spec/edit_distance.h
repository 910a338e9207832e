// "Did you mean" suggestions for mistyped names (as ninja's edit_distance.h).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace gup {

// Edit distance: insertions, deletions, substitutions and swaps of two
// adjacent characters cost 1.
int edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a likely
// typo (distance at most a third of the word's length, at least 1, or a
// case-insensitive match); otherwise "".
std::string closest_match(std::string_view word, std::span<const std::string> candidates);

// " (did you mean 'x'?)" or "" when nothing is close.
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

}  // namespace gup
