-- vitrify.table — a column table written as a gnuplot-ready .dat file, one line per
-- row as soon as it is added (flushed, so `tail -f` follows a long run):
--   # heating ZIF-4 — vitrify 0.1.0, recipes/heat.lua
--   #             step        time (ps)            T (K)
--                    0                0              300
-- Rows go in by position, t:add{0, 0.0, 300}, or by name, t:add{step = 0, T = 300, ...}.
-- t:new_block(label) starts a new data set (two blank lines, then "# label"): gnuplot's
-- `index`. Restarts: t:offset() is the file's length, kept with a checkpoint; a resumed
-- run continues with vitrify.table.open{..., resume_offset = offset}, which cuts the
-- rows written after the checkpoint. An existing file is never replaced unless
-- overwrite = true.
local util = require "vitrify.util"

local column_table = {}
local Table = {}
Table.__index = Table

-- Wide enough for any %.10g number ("-1.234567891e-05"); integer columns need less.
local number_width, integer_width = 16, 10
local separator = " "

-- Display width of UTF-8 text ("V (Å³)" is 6 wide though 9 bytes long).
local function text_width(s)
  return utf8.len(s) or #s
end

local function pad_left(s, width)
  return string.rep(" ", width - text_width(s)) .. s
end

local function label_of(column)
  return column.unit ~= "" and (column.name .. " (" .. column.unit .. ")") or column.name
end

----------------------------------------------------------------------------------------
-- Files: the overwrite rule and resume truncation, shared with vitrify.trajectory.

local file = {}
column_table.file = file

-- Size of path in bytes, or nil when it cannot be opened.
function file.size(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local size = f:seek("end")
  f:close()
  return size
end

-- Refuses to start a new output over a file left by an earlier run unless asked:
-- hours of results should not vanish because a recipe was run twice.
function file.claim(path, overwrite, what)
  if not overwrite and util.file_exists(path) then
    util.raise(string.format("%s: %s already exists (from an earlier run?): pass overwrite = true "
      .. "to replace it, or continue it with %s.open{ path = ..., resume_offset = ... }",
      what, path, what))
  end
end

-- The byte at 1-based position pos of path.
local function byte_at(path, pos)
  local f = assert(io.open(path, "rb"))
  f:seek("set", pos - 1)
  local c = f:read(1)
  f:close()
  return c
end

-- Keeps the first n bytes of path, dropping what a run wrote after its checkpoint. The
-- kept part must end a line (offsets come from :offset(), taken between rows/frames).
-- Copied and renamed into place rather than truncated in place, so that an
-- interruption leaves either the old file or the new one.
function file.keep_first_bytes(path, n, what)
  local size = file.size(path)
  if not size then util.raise(string.format("%s: cannot resume %s: no such file", what, path)) end
  if math.type(n) ~= "integer" or n < 0 then
    util.raise(string.format("%s: offset must be a byte count >= 0, got %s", what, tostring(n)))
  end
  if n > size then
    util.raise(string.format("%s: cannot resume %s at byte %d: it has only %d bytes "
      .. "(was it replaced or cut since the checkpoint?)", what, path, n, size))
  end
  if n > 0 and byte_at(path, n) ~= "\n" then
    util.raise(string.format("%s: byte %d of %s is not the end of a line: not an offset "
      .. "this file was written up to", what, n, path))
  end
  if n == size then return end
  local tmp = path .. ".resume.tmp"
  local src, dst = assert(io.open(path, "rb")), io.open(tmp, "wb")
  if not dst then src:close() util.raise(string.format("%s: cannot create %s", what, tmp)) end
  local left, ok = n, true
  while left > 0 and ok do
    local chunk = src:read(math.min(left, 1 << 20))
    ok = chunk ~= nil and dst:write(chunk) ~= nil
    left = left - (chunk and #chunk or 0)
  end
  src:close()
  ok = dst:close() and ok
  if not ok or not os.rename(tmp, path) then
    os.remove(tmp)
    util.raise(string.format("%s: cannot cut %s back to %d bytes", what, path, n))
  end
end

----------------------------------------------------------------------------------------
-- Reading headers (also how vitrify.plot finds columns by name).

-- Columns of a "# name (unit) name (unit) ..." line: list of {name =, unit =}.
local function parse_column_line(line)
  local columns, pos = {}, 2
  while true do
    local name, after = line:match("^%s*([^%s()]+)()", pos)
    if not name then break end
    local unit, after_unit = line:match("^%s*(%b())()", after)
    columns[#columns + 1] = { name = name, unit = unit and unit:sub(2, -2) or "" }
    pos = after_unit or after
  end
  return columns
end

-- The header of a .dat file: its leading comment lines (up to the first blank or data
-- line) and their length in bytes. The last of them names the columns.
local function read_header(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local lines, bytes = {}, 0
  for line in f:lines("L") do
    if line:sub(1, 1) ~= "#" then break end
    lines[#lines + 1] = line:gsub("\n$", "")
    bytes = bytes + #line
  end
  f:close()
  return lines, bytes
end

-- Columns named in the header of a .dat file, {{name =, unit =}, ...}; raises when the
-- file cannot be read or has no "# column (unit)" line.
function column_table.read_columns(path)
  local lines = read_header(path)
  if not lines then util.raise(path .. ": cannot open: no such file") end
  local columns = #lines > 0 and parse_column_line(lines[#lines]) or {}
  if #columns == 0 then
    util.raise(path .. ": no header line naming the columns ('# step  time (ps)  T (K) ...')")
  end
  return columns
end

----------------------------------------------------------------------------------------
-- Declaring columns.

-- Column specs {"T", "K", format = "%.3f"} checked and given a width.
local function check_columns(specs, what)
  if #specs == 0 then util.raise(what .. ": columns must list at least one {name, unit}") end
  local columns, seen = {}, {}
  for k, spec in ipairs(specs) do
    local where = string.format("%s: column %d", what, k)
    if type(spec) ~= "table" then util.raise(where .. " must be a table {name, unit}") end
    for key in pairs(spec) do
      if key ~= 1 and key ~= 2 and key ~= "format" then
        util.raise(string.format("%s: unknown field '%s' (known: name, unit, format)", where,
          tostring(key)))
      end
    end
    local name, unit, format = spec[1], spec[2] or "", spec.format
    if type(name) ~= "string" or not name:match("^[^%s()#]+$") then
      util.raise(where .. ": the name must be a word without spaces, parentheses or '#'")
    end
    if type(unit) ~= "string" or unit:find("[()\n]") then
      util.raise(where .. " (" .. name .. "): the unit must be text without parentheses")
    end
    if seen[name] then util.raise(where .. ": '" .. name .. "' is named twice") end
    if format ~= nil and (type(format) ~= "string" or not format:match("^%%[-+ #0]*%d*%.?%d*[dieEfgG]$")) then
      util.raise(where .. " (" .. name .. "): format must be one number format such as '%.4f' or '%d'")
    end
    seen[name] = true
    local column = { name = name, unit = unit, format = format }
    local minimum = (format and format:match("[di]$")) and integer_width or number_width
    column.width = math.max(text_width(label_of(column)), minimum)
    columns[k] = column
  end
  return columns
end

local function column_line(columns)
  local parts = { "#" }
  for _, column in ipairs(columns) do parts[#parts + 1] = pad_left(label_of(column), column.width) end
  return table.concat(parts, separator) .. "\n"
end

-- What produced the file, for its first line.
local function title_line(title)
  local script = rawget(_G, "arg") and arg[0]
  local producer = "vitrify " .. require("vitrify").version .. (script and (", " .. script) or "")
  title = title and title:gsub("[\r\n]+", " ")
  return "# " .. (title and (title .. " — ") or "") .. producer .. "\n"
end

local function same_columns(declared, found)
  if #declared ~= #found then return false end
  for k, column in ipairs(declared) do
    if column.name ~= found[k].name or column.unit ~= found[k].unit then return false end
  end
  return true
end

local function describe_columns(columns)
  local labels = {}
  for k, column in ipairs(columns) do labels[k] = label_of(column) end
  return table.concat(labels, ", ")
end

----------------------------------------------------------------------------------------
-- Tables.

local function start(path, columns, mode, size)
  local f, why = io.open(path, mode)
  if not f then util.raise("vitrify.table: cannot open " .. path .. " for writing: " .. tostring(why)) end
  local by_name = {}
  for k, column in ipairs(columns) do by_name[column.name] = k end
  return setmetatable({ path = path, columns = columns, by_name = by_name, handle = f,
                        size = size }, Table)
end

-- Appends text and flushes it, so readers see whole lines as soon as they exist.
local function write_text(self, text)
  if not self.handle then util.raise("vitrify.table: " .. self.path .. " is closed") end
  local ok, why = self.handle:write(text)
  if ok then ok, why = self.handle:flush() end
  if not ok then util.raise("vitrify.table: cannot write " .. self.path .. ": " .. tostring(why)) end
  self.size = self.size + #text
end

local new_schema = {
  path = { type = "string" },
  columns = { type = "table" },
  title = { type = "string" },
  overwrite = { type = "boolean", default = false },
}

-- A new table file: path, columns = {{name, unit [, format = "%.4f"]}, ...}, title,
-- overwrite (replace a file left by an earlier run; otherwise that is an error).
function column_table.new(opts)
  opts = util.options(opts, new_schema, "vitrify.table.new")
  if not opts.path or not opts.columns then util.raise("vitrify.table.new: path and columns are required") end
  local columns = check_columns(opts.columns, "vitrify.table.new")
  file.claim(opts.path, opts.overwrite, "vitrify.table")
  local t = start(opts.path, columns, "wb", 0)
  write_text(t, title_line(opts.title) .. column_line(columns))
  t.header_size = t.size
  return t
end

local open_schema = {
  path = { type = "string" },
  columns = { type = "table" },
  resume_offset = { type = "number" },
}

-- Continues a table after a restart: keeps the first resume_offset bytes (what it held at
-- the checkpoint), checks that its header declares the same columns, and appends.
function column_table.open(opts)
  opts = util.options(opts, open_schema, "vitrify.table.open")
  if not opts.path or not opts.columns or not opts.resume_offset then
    util.raise("vitrify.table.open: path, columns and resume_offset are required")
  end
  local columns = check_columns(opts.columns, "vitrify.table.open")
  local header, header_size = read_header(opts.path)
  if not header then util.raise("vitrify.table.open: cannot resume " .. opts.path .. ": no such file") end
  local found = #header > 0 and parse_column_line(header[#header]) or {}
  if not same_columns(columns, found) then
    util.raise(string.format("vitrify.table.open: %s has columns %s, not %s as declared: "
      .. "cannot continue it", opts.path, describe_columns(found), describe_columns(columns)))
  end
  if opts.resume_offset < header_size then
    util.raise(string.format("vitrify.table.open: resume_offset %s cuts into the %d-byte header of %s",
      tostring(opts.resume_offset), header_size, opts.path))
  end
  file.keep_first_bytes(opts.path, opts.resume_offset, "vitrify.table.open")
  local t = start(opts.path, columns, "ab", opts.resume_offset)
  t.header_size = header_size
  return t
end

-- The values of a row in column order, from {v1, v2, ...} or {name = v, ...}.
local function row_values(self, row)
  if type(row) ~= "table" then util.raise("vitrify.table: add expects a table of values") end
  local columns = self.columns
  if row[1] ~= nil then
    local n = 0
    for _ in pairs(row) do n = n + 1 end
    if n ~= #columns or #row ~= #columns then
      util.raise(string.format("%s: a row by position needs exactly %d values (%s), got %d",
        self.path, #columns, describe_columns(columns), n))
    end
    return row
  end
  for name in pairs(row) do
    if not self.by_name[name] then
      util.raise(string.format("%s: no column '%s' (columns: %s)", self.path, tostring(name),
        describe_columns(columns)))
    end
  end
  local values = {}
  for k, column in ipairs(columns) do
    values[k] = row[column.name]
    if values[k] == nil then util.raise(string.format("%s: the row has no value for '%s'", self.path, column.name)) end
  end
  return values
end

-- Integers as integers, other numbers to 10 significant digits, unless the column
-- says otherwise.
local function format_value(self, column, v)
  if type(v) ~= "number" then
    util.raise(string.format("%s: value of '%s' must be a number, got %s", self.path, column.name, type(v)))
  end
  local format = column.format or (math.type(v) == "integer" and "%d" or "%.10g")
  local ok, text = pcall(string.format, format, v)
  if not ok then
    util.raise(string.format("%s: %s does not fit the format %s of '%s'", self.path, tostring(v),
      format, column.name))
  end
  return pad_left(text, column.width)
end

-- Writes one row (by position or by name) and flushes it.
function Table:add(row)
  local values = row_values(self, row)
  local parts = { " " }
  for k, column in ipairs(self.columns) do parts[k + 1] = format_value(self, column, values[k]) end
  write_text(self, table.concat(parts, separator) .. "\n")
end

-- Starts a new data set (gnuplot `index`), labelled by a comment.
function Table:new_block(label)
  if label ~= nil and type(label) ~= "string" then util.raise("vitrify.table: a block label must be text") end
  write_text(self, "\n\n" .. (label and ("# " .. label:gsub("[\r\n]+", " ") .. "\n") or ""))
end

-- Bytes in the file: what to keep with a checkpoint to resume exactly here.
function Table:offset()
  return self.size
end

-- Cuts the file back to offset bytes (from an earlier :offset()) and continues there.
function Table:truncate_to(offset)
  if math.type(offset) ~= "integer" or offset < self.header_size or offset > self.size then
    util.raise(string.format("vitrify.table: %s: offset must be an integer between %d (the header) "
      .. "and %d (the current length), got %s", self.path, self.header_size, self.size, tostring(offset)))
  end
  self:close()
  file.keep_first_bytes(self.path, offset, "vitrify.table")
  local f, why = io.open(self.path, "ab")
  if not f then util.raise("vitrify.table: cannot reopen " .. self.path .. ": " .. tostring(why)) end
  self.handle, self.size = f, offset
end

-- Safe to call twice, and from __gc after the file handle was collected.
function Table:close()
  if io.type(self.handle) == "file" then self.handle:close() end
  self.handle = nil
end

Table.__close = Table.close
Table.__gc = Table.close

function Table:__tostring()
  return string.format("vitrify.table %s: %s", self.path, describe_columns(self.columns))
end

return column_table
