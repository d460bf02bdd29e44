-- vitrify.plot — PNG figures of vitrify .dat tables, made by gnuplot. Each figure
-- comes with its gnuplot script beside it (volume_vs_T.png, volume_vs_T.gp), complete
-- in itself so that it can be edited and re-run: `gnuplot out/volume_vs_T.gp`.
--   vitrify.plot{ data = "out/thermo.dat", output = "out/volume_vs_T.png",
--                 x = "T", y = "V" }                       -- one curve, labels from the header
--   vitrify.plot{ data = ..., output = ..., x = "time", y = { "PE", "KE" } } -- several
--   vitrify.plot{ output = ..., x = "T", series = {
--                   { data = "out/heat.dat", y = "V", title = "heating" },
--                   { data = "out/cool.dat", y = "V", title = "cooling", with = "points" } } }
--   vitrify.plot.panels{ output = "out/summary.png", layout = { 2, 1 },
--                        plots = { { data = ..., x = "T", y = "V" }, { ... } } }
-- Columns are named as in the .dat header ("# step  time (ps)  T (K)") or numbered from
-- 1; the script refers to them by number, with their names in a comment. Returns the
-- paths of the PNG and of the script.
local util = require "vitrify.util"
local column_table = require "vitrify.table"

local plot = {}

-- The gnuplot program; VITRIFY_GNUPLOT or plot.program = "..." chooses another.
plot.program = os.getenv("VITRIFY_GNUPLOT") or "gnuplot"

local styles = { lines = true, points = true, linespoints = true }
local default_font = "Sans,11"
local default_size = { 800, 600 }     -- pixels, one plot
local panel_size = { 640, 420 }       -- pixels per panel of a figure with several

local function check_style(v)
  if styles[v] then return true end
  return false, "must be \"lines\", \"points\" or \"linespoints\""
end

local function check_column_ref(v)
  if type(v) == "string" or (math.type(v) == "integer" and v >= 1) then return true end
  return false, "must be a column name or number"
end

local function check_index(v)
  if math.type(v) == "integer" and v >= 0 then return true end
  return false, "must be a data set number (0, 1, ...)"
end

local function check_range(v)
  local function bound(b) return not b or type(b) == "number" end
  if bound(v[1]) and bound(v[2]) and next(v) ~= nil then return true end
  return false, "must be {min, max}: numbers, or false for automatic"
end

local function check_pair(v)
  if math.type(v[1]) == "integer" and math.type(v[2]) == "integer" and v[1] > 0 and v[2] > 0 then
    return true
  end
  return false, "must be two positive integers"
end

local series_schema = {
  data = { type = "string" },
  x = { check = check_column_ref },
  y = { check = check_column_ref },
  index = { check = check_index }, -- gnuplot data set (block) number, from 0
  with = { type = "string", check = check_style },
  title = { type = "string" },
}

local panel_schema = {
  data = { type = "string" },
  x = { check = check_column_ref },
  y = {}, -- a column, or a list of columns (one curve each)
  series = { type = "table" },
  index = { check = check_index },
  with = { type = "string", check = check_style, default = "lines" },
  title = { type = "string" },
  xlabel = { type = "string" },
  ylabel = { type = "string" },
  xrange = { type = "table", check = check_range },
  yrange = { type = "table", check = check_range },
  logscale = { type = "string", check = function(v)
    return v == "x" or v == "y" or v == "xy", "must be \"x\", \"y\" or \"xy\"" end },
  key = { type = "string" }, -- where the legend goes, as gnuplot's `set key` takes it
}

local figure_schema = {
  output = { type = "string" },
  size = { type = "table", check = check_pair }, -- pixels
  font = { type = "string" },
}

local function merged(a, b)
  local out = {}
  for k, v in pairs(a) do out[k] = v end
  for k, v in pairs(b) do out[k] = v end
  return out
end

local plot_schema = merged(panel_schema, figure_schema)
local panels_schema = merged(figure_schema, {
  plots = { type = "table" },
  layout = { type = "table", check = check_pair }, -- rows, columns
  title = { type = "string" },
})

----------------------------------------------------------------------------------------
-- Paths: the script refers to files relative to its own folder.

local function current_dir()
  local p = io.popen("pwd")
  local dir = p and p:read("l")
  if p then p:close() end
  return dir or os.getenv("PWD") or "."
end

-- Absolute path with "." and ".." resolved, as a list of components.
local function components(path, cwd)
  if path:sub(1, 1) ~= "/" then path = cwd .. "/" .. path end
  local parts = {}
  for part in path:gmatch("[^/]+") do
    if part == ".." then parts[#parts] = nil
    elseif part ~= "." then parts[#parts + 1] = part end
  end
  return parts
end

-- Path of target as seen from folder dir.
local function relative_path(target, dir, cwd)
  local t, d = components(target, cwd), components(dir, cwd)
  local common = 0
  while common < #d and common < #t and t[common + 1] == d[common + 1] do common = common + 1 end
  local parts = {}
  for _ = common + 1, #d do parts[#parts + 1] = ".." end
  for k = common + 1, #t do parts[#parts + 1] = t[k] end
  return table.concat(parts, "/")
end

local function dirname(path)
  return path:match("^(.*)/[^/]*$") or "."
end

local function basename(path)
  return path:match("([^/]*)$")
end

----------------------------------------------------------------------------------------
-- Resolving series against the .dat headers.

-- A gnuplot string literal: single quotes take everything literally but ''.
local function quote(s)
  return "'" .. s:gsub("'", "''") .. "'"
end

local function label_of(column)
  return column.unit ~= "" and (column.name .. " (" .. column.unit .. ")") or column.name
end

-- Column number and header entry of ref (a name or a number) in the file's columns.
local function find_column(columns, ref, path, what)
  if type(ref) == "number" then
    if ref > #columns then
      util.raise(string.format("%s: %s has %d columns, not %d", what, path, #columns, ref))
    end
    return ref, columns[ref]
  end
  for k, column in ipairs(columns) do
    if column.name == ref then return k, column end
  end
  local names = {}
  for k, column in ipairs(columns) do names[k] = column.name end
  util.raise(string.format("%s: %s has no column '%s' (columns: %s)", what, path, ref,
    table.concat(names, ", ")))
end

-- The curves of one panel: list of {data, index, with, title, x = {number, column},
-- y = {number, column}}, checked against the headers of their files.
local function resolve_series(panel, headers, what)
  local list = panel.series
  if list and panel.y ~= nil then util.raise(what .. ": give either y or series, not both") end
  if not list then
    if panel.y == nil then util.raise(what .. ": y (a column or a list of columns) or series is required") end
    list = {}
    for _, y in ipairs(type(panel.y) == "table" and panel.y or { panel.y }) do list[#list + 1] = { y = y } end
  end
  if #list == 0 then util.raise(what .. ": nothing to plot") end
  local resolved = {}
  for k, given in ipairs(list) do
    local s = util.options(given, series_schema, string.format("%s: series %d", what, k))
    local data = s.data or panel.data
    local x = s.x or panel.x
    if not data then util.raise(string.format("%s: series %d has no data file", what, k)) end
    if x == nil or s.y == nil then util.raise(string.format("%s: series %d needs x and y", what, k)) end
    if not headers[data] then headers[data] = column_table.read_columns(data) end
    local xn, xc = find_column(headers[data], x, data, what)
    local yn, yc = find_column(headers[data], s.y, data, what)
    resolved[k] = { data = data, index = s.index or panel.index, with = s.with or panel.with,
                    title = s.title, x = { xn, xc }, y = { yn, yc } }
  end
  return resolved
end

----------------------------------------------------------------------------------------
-- Writing the script.

-- `set`/`unset` for one panel. Every setting a panel may change is set or unset, so
-- panels of one figure do not inherit each other's. Labels taken from the headers are
-- shown as written (noenhanced: "coul_real" is no subscript); labels given by the user
-- go through gnuplot's enhanced text, so "Å^3" works.
local function panel_settings(panel, series)
  local lines = {}
  local function add(...) lines[#lines + 1] = table.concat({ ... }, " ") end
  local function label(command, given, automatic)
    if given then add("set", command, quote(given))
    elseif automatic then add("set", command, quote(automatic), "noenhanced")
    else add("unset", command) end
  end
  local function range(axis, r)
    if not r then return add("set", axis .. "range", "[*:*]") end
    local lo, hi = r[1] or "*", r[2] or "*"
    add("set", axis .. "range", "[" .. tostring(lo) .. ":" .. tostring(hi) .. "]")
  end
  label("title", panel.title)
  label("xlabel", panel.xlabel, label_of(series[1].x[2]))
  label("ylabel", panel.ylabel, #series == 1 and label_of(series[1].y[2]) or nil)
  range("x", panel.xrange)
  range("y", panel.yrange)
  add("unset logscale")
  if panel.logscale then add("set logscale", panel.logscale) end
  add("set key", panel.key or "default")
  return lines
end

-- The plot command, one curve per line; the comments above it name the columns, since
-- gnuplot refers to them by number (a comment cannot follow a continued line).
local function plot_command(series, gp_dir, cwd)
  local lines = {}
  for k, s in ipairs(series) do
    lines[k] = string.format("# curve %d: x = %s (column %d), y = %s (column %d) of %s", k,
      s.x[2].name, s.x[1], s.y[2].name, s.y[1], basename(s.data))
  end
  for k, s in ipairs(series) do
    local title
    if s.title then title = "title " .. quote(s.title)
    elseif #series == 1 then title = "notitle"
    else title = "title " .. quote(s.y[2].name) .. " noenhanced" end
    lines[#lines + 1] = string.format("%s%s%s using %d:%d with %s %s%s", k == 1 and "plot " or "     ",
      quote(relative_path(s.data, gp_dir, cwd)), s.index and (" index " .. s.index) or "",
      s.x[1], s.y[1], s.with, title, k < #series and ", \\" or "")
  end
  return table.concat(lines, "\n")
end

-- gnuplot takes paths relative to the folder it runs in; the script moves into its
-- own folder (ARG0 is its path) so that it works from anywhere.
local preamble = [[
if (exists("ARG0") && strlen(ARG0) > 0) {
  slash = 0
  do for [i = 1:strlen(ARG0)] { if (ARG0[i:i] eq "/") { slash = i } }
  if (slash > 0) { cd ARG0[1:slash] }
}
set encoding utf8]]

local function script_text(figure, panels, gp_path, cwd)
  local gp_dir = dirname(gp_path)
  local size = figure.size
  local out = {
    string.format("# %s — vitrify %s: makes %s from %s. Remake it with `gnuplot %s`.",
      basename(gp_path), require("vitrify").version, basename(figure.output),
      figure.sources, gp_path),
    preamble,
    string.format("set terminal pngcairo size %d,%d enhanced font %s", size[1], size[2],
      quote(figure.font or default_font)),
    "set output " .. quote(basename(figure.output)), -- beside this script
    "set grid",
  }
  local function add(line) out[#out + 1] = line end
  if figure.layout then
    add(string.format("set multiplot layout %d,%d%s", figure.layout[1], figure.layout[2],
      figure.title and (" title " .. quote(figure.title)) or ""))
  end
  for k, p in ipairs(panels) do
    if figure.layout then add(string.format("\n# panel %d", k)) end
    for _, line in ipairs(panel_settings(p.options, p.series)) do add(line) end
    add(plot_command(p.series, gp_dir, cwd))
  end
  if figure.layout then add("unset multiplot") end
  add("unset output")
  return table.concat(out, "\n") .. "\n"
end

----------------------------------------------------------------------------------------
-- Running gnuplot.

local function shell_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

local function slurp(path)
  local f = io.open(path, "rb")
  if not f then return "" end
  local text = f:read("a")
  f:close()
  return text
end

local function run_gnuplot(gp_path, png_path)
  local errfile = os.tmpname()
  local ok, _, code = os.execute(string.format("%s %s 2>%s", shell_quote(plot.program),
    shell_quote(gp_path), shell_quote(errfile)))
  local messages = slurp(errfile)
  os.remove(errfile)
  if code == 127 then
    util.raise(string.format("vitrify.plot: cannot run %s (is gnuplot installed? apt install "
      .. "gnuplot-nox): %s was written; run `gnuplot %s` to make %s", plot.program, gp_path,
      gp_path, png_path))
  end
  if not ok then
    util.raise(string.format("vitrify.plot: gnuplot failed on %s:\n%s", gp_path, messages:sub(-2000)))
  end
  local size = column_table.file.size(png_path)
  if not size or size == 0 then
    util.raise(string.format("vitrify.plot: gnuplot ran %s but made no %s:\n%s", gp_path,
      png_path, messages:sub(-2000)))
  end
end

local function write_file(path, text)
  local f, why = io.open(path, "wb")
  if not f then util.raise("vitrify.plot: cannot write " .. tostring(why)) end
  local ok, werr = f:write(text)
  f:close()
  if not ok then util.raise("vitrify.plot: cannot write " .. path .. ": " .. tostring(werr)) end
end

-- Checks the figure options, resolves the panels and makes the figure.
local function make_figure(figure, panel_options, what)
  if not figure.output then util.raise(what .. ": output (a .png path) is required") end
  if util.extension(figure.output) ~= "png" then
    util.raise(what .. ": output must be a .png file, got " .. figure.output)
  end
  local headers, sources, panels = {}, {}, {}
  for k, options in ipairs(panel_options) do
    local series = resolve_series(options, headers, #panel_options > 1 and
      string.format("%s: plot %d", what, k) or what)
    for _, s in ipairs(series) do
      if not sources[s.data] then
        sources[s.data] = true
        sources[#sources + 1] = basename(s.data)
      end
    end
    panels[k] = { options = options, series = series }
  end
  figure.sources = table.concat(sources, ", ")
  local gp_path = figure.output:gsub("%.[^./]*$", "") .. ".gp"
  write_file(gp_path, script_text(figure, panels, gp_path, current_dir()))
  run_gnuplot(gp_path, figure.output)
  return figure.output, gp_path
end

-- One plot: data, x, y (a column or a list) or series = {{data, x, y, index, with, title},
-- ...}; labels (title, xlabel, ylabel), xrange/yrange = {min, max}, logscale ("x", "y",
-- "xy"), key (legend position); output (.png), size = {w, h} pixels, font.
-- Returns the PNG's path and the script's.
local function single(opts)
  opts = util.options(opts, plot_schema, "vitrify.plot")
  local figure = { output = opts.output, size = opts.size or default_size, font = opts.font }
  return make_figure(figure, { opts }, "vitrify.plot")
end

-- Several plots in one figure: plots = {{...}, {...}} as vitrify.plot takes them (data,
-- x, y, series, labels, ranges), layout = {rows, columns} (default one column), title,
-- output, size (of the whole figure), font.
function plot.panels(opts)
  opts = util.options(opts, panels_schema, "vitrify.plot.panels")
  local list = opts.plots
  if not list or #list == 0 then util.raise("vitrify.plot.panels: plots must list at least one plot") end
  local layout = opts.layout or { #list, 1 }
  if layout[1] * layout[2] < #list then
    util.raise(string.format("vitrify.plot.panels: a %dx%d layout has no room for %d plots",
      layout[1], layout[2], #list))
  end
  local panel_options = {}
  for k, given in ipairs(list) do
    panel_options[k] = util.options(given, panel_schema, string.format("vitrify.plot.panels: plot %d", k))
  end
  local figure = { output = opts.output, title = opts.title, layout = layout, font = opts.font,
                   size = opts.size or { panel_size[1] * layout[2], panel_size[2] * layout[1] } }
  return make_figure(figure, panel_options, "vitrify.plot.panels")
end

return setmetatable(plot, { __call = function(_, opts) return single(opts) end })
