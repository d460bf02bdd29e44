-- vitrify.util — small helpers the library shares: errors blamed on the recipe
-- line that caused them, argument checks for keyword-table constructors, paths.
local util = {}

-- Folder of the vitrify Lua library (…/lua/), from this file's own location.
local this_file = debug.getinfo(1, "S").source:gsub("^@", "")
util.libdir = this_file:match("^(.*)/vitrify/util%.lua$") or "."
-- The installation's home: the project root in a source tree (lua/..), or
-- share/vitrify when installed; structures/ and plots/ live there.
util.home = util.libdir:match("^(.*)/lua$") or (util.libdir .. "/..")

-- Errors raised by native code blame the first line outside this library, too.
require("vitrify.core").set_library_dir(util.libdir)

local function in_library(source)
  return source:sub(1, 1) == "@" and source:find(util.libdir .. "/vitrify/", 1, true) ~= nil
end

-- Raises msg at the first stack level outside the vitrify library, so that the
-- message starts with the user's file and line.
function util.raise(msg)
  local level = 2
  while true do
    local info = debug.getinfo(level, "S")
    if not info then return error(msg, 0) end
    if info.what ~= "C" and not in_library(info.source) then return error(msg, level) end
    level = level + 1
  end
end

-- Checks a keyword table against a schema {name = {type = "number", default = ...,
-- check = function(v) -> ok, why}}; unknown keys are errors (typos should not pass
-- silently). Returns a new table with defaults filled in.
function util.options(given, schema, what)
  given = given or {}
  if type(given) ~= "table" then
    util.raise(string.format("%s expects a table of options, got %s", what, type(given)))
  end
  local out = {}
  for k, v in pairs(given) do
    local spec = schema[k]
    if not spec then
      local known = {}
      for name in pairs(schema) do known[#known + 1] = name end
      table.sort(known)
      util.raise(string.format("%s: unknown option '%s' (known: %s)", what, tostring(k),
        table.concat(known, ", ")))
    end
    if spec.type and type(v) ~= spec.type then
      util.raise(string.format("%s: option '%s' must be a %s, got %s", what, k, spec.type, type(v)))
    end
    if spec.check then
      local ok, why = spec.check(v)
      if not ok then util.raise(string.format("%s: option '%s' %s", what, k, why)) end
    end
    out[k] = v
  end
  for k, spec in pairs(schema) do
    if out[k] == nil then out[k] = spec.default end
  end
  return out
end

function util.file_exists(path)
  local f = io.open(path, "r")
  if f then f:close() return true end
  return false
end

-- A file shipped with vitrify (e.g. "structures/ZIF-zni_nbzifff_1600.data").
function util.shipped(relpath)
  return util.home .. "/" .. relpath
end

function util.extension(path)
  return (path:match("%.([%w_]+)$") or ""):lower()
end

return util
