-- Shared by the busted specs: where things are, temporary folders, comparisons.
local helpers = {}

helpers.source = os.getenv("VITRIFY_SOURCE_DIR") or "."
helpers.shared = os.getenv("VITRIFY_SHARED_DIR") or (helpers.source .. "/../shared")
helpers.tmp = os.getenv("VITRIFY_TEST_TMP") or "/tmp"
helpers.exe = os.getenv("VITRIFY_EXE") or (helpers.source .. "/build/vitrify")

local function exists(path)
  local f = io.open(path, "r")
  if f then f:close() return true end
  return false
end
helpers.exists = exists

-- A reference file from ../shared, or the project's shipped copy of it.
function helpers.shared_file(relpath)
  local p = helpers.shared .. "/" .. relpath
  if exists(p) then return p end
  return helpers.source .. "/structures/" .. relpath:match("[^/]+$")
end

-- A fresh scratch folder for one test.
function helpers.scratch(name)
  local dir = helpers.tmp .. "/" .. name
  os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")
  return dir
end

-- Runs the vitrify program; returns exit code, stdout, stderr.
function helpers.run(args, dir)
  local out, err = os.tmpname(), os.tmpname()
  local cmd = string.format("%s%s %s >%s 2>%s", dir and ("cd '" .. dir .. "' && ") or "",
    helpers.exe, args, out, err)
  local ok, _, code = os.execute(cmd)
  local function slurp(p)
    local f = io.open(p, "r")
    local s = f:read("a")
    f:close()
    os.remove(p)
    return s
  end
  return ok and 0 or code, slurp(out), slurp(err)
end

function helpers.write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

return helpers
