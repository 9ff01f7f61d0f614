# Doxygen input filter (docs/Doxyfile): a "/// Route: METHOD /path  {body}" line becomes
# "/// \route `METHOD /path  {body}`", one line for one, so warnings keep their line numbers.
s|^\([[:space:]]*\)/// Route: \(.*\)$|\1/// \\route `\2`|
