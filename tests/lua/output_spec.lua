-- The output side of every study: .dat tables (header, formatting, blocks, resuming,
-- refusing to overwrite), gnuplot figures made from them, LAMMPS dump frames checked
-- line by line and against Debian's `lmp` (orthorhombic and triclinic cells), and
-- trajectories that append and resume without repeating frames.
local vitrify = require "vitrify"
local lammps = require "vitrify.lammps"
local helpers = require "helpers"

local core = vitrify.core

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("a")
  f:close()
  return text
end

local function lines_of(path)
  local lines = {}
  for line in slurp(path):gmatch("([^\n]*)\n") do lines[#lines + 1] = line end
  return lines
end

local function numbers_of(line)
  local values = {}
  for word in line:gmatch("%S+") do values[#values + 1] = assert(tonumber(word), line) end
  return values
end

-- The message of the error fn raises (it must raise).
local function error_of(fn)
  local ok, err = pcall(fn)
  assert.is_false(ok, "expected an error")
  return tostring(err)
end

local function assert_contains(text, part)
  assert.truthy(text:find(part, 1, true), "expected '" .. part .. "' in:\n" .. text)
end

local function count(text, plain)
  local n, pos = 0, 1
  while true do
    local at = text:find(plain, pos, true)
    if not at then return n end
    n, pos = n + 1, at + 1
  end
end

local thermo_columns = { { "step", "", format = "%d" }, { "time", "ps" }, { "T", "K" }, { "V", "Å³" } }

describe("vitrify.table", function()
  local dir = helpers.scratch("output_table")

  it("writes a titled '# column (unit)' header and aligned rows, integers as integers", function()
    local path = dir .. "/format.dat"
    local t = vitrify.table.new{ path = path, columns = thermo_columns, title = "heating test" }
    t:add{ 0, 0.0, 300, 1234.5 }
    t:add{ step = 10, time = 0.01, T = 1 / 3, V = 1e-5 }
    -- Flushed at once: visible to readers before the table is closed.
    local lines = lines_of(path)
    assert.are.equal(4, #lines)
    assert.truthy(lines[1]:match("^# heating test — vitrify %d+%.%d+%.%d+"), lines[1])
    assert.truthy(lines[2]:match("^#%s+step%s+time %(ps%)%s+T %(K%)%s+V %(Å³%)$"), lines[2])
    assert.truthy(lines[3]:match("^%s+0%s+0%s+300%s+1234.5$"), lines[3])
    assert.truthy(lines[4]:match("^%s+10%s+0.01%s+0.3333333333%s+1e%-05$"), lines[4])
    -- Columns line up under their labels (display width, Å³ counting as two).
    local width = utf8.len(lines[2])
    for k = 3, 4 do assert.are.equal(width, utf8.len(lines[k]), lines[k]) end
    local names = {}
    for k, c in ipairs(vitrify.table.read_columns(path)) do names[k] = c.name .. "/" .. c.unit end
    assert.are.same({ "step/", "time/ps", "T/K", "V/Å³" }, names)
    t:close()
  end)

  it("separates blocks by two blank lines and a '# label' comment", function()
    local path = dir .. "/blocks.dat"
    local t = vitrify.table.new{ path = path, columns = { { "T", "K" }, { "V", "Å³" } } }
    t:add{ 300, 1 }
    t:new_block("cooling")
    t:add{ 200, 2 }
    t:close()
    local lines = lines_of(path)
    assert.are.same({ "", "", "# cooling" }, { lines[4], lines[5], lines[6] })
    assert.are.same({ 200, 2 }, numbers_of(lines[7]))
    assert.are.equal(7, #lines)
  end)

  it("rejects rows that do not fit the columns, naming the file", function()
    local path = dir .. "/rows.dat"
    local t = vitrify.table.new{ path = path, columns = thermo_columns }
    assert_contains(error_of(function() t:add{ 1, 2, 3 } end), "exactly 4 values")
    assert_contains(error_of(function() t:add{ step = 1, time = 0, T = 3, Vol = 4 } end),
      "rows.dat: no column 'Vol'")
    assert_contains(error_of(function() t:add{ step = 1, time = 0, T = 3 } end), "no value for 'V'")
    assert_contains(error_of(function() t:add{ 1.5, 0, 3, 4 } end), "does not fit the format %d of 'step'")
    assert_contains(error_of(function() t:add{ 1, "x", 3, 4 } end), "'time' must be a number")
    assert.are.equal(2, #lines_of(path))
    assert_contains(error_of(function() vitrify.table.new{ path = dir .. "/x.dat", columns = { { "a b" } } } end),
      "column 1")
    assert_contains(error_of(function() vitrify.table.new{ path = dir .. "/x.dat", colums = {} } end),
      "unknown option 'colums'")
    t:close()
  end)

  it("refuses to replace a file from an earlier run unless overwrite = true", function()
    local path = dir .. "/previous.dat"
    helpers.write(path, "precious results\n")
    local err = error_of(function() vitrify.table.new{ path = path, columns = thermo_columns } end)
    assert_contains(err, path .. " already exists")
    assert_contains(err, "overwrite = true")
    assert.are.equal("precious results\n", slurp(path))
    local t = vitrify.table.new{ path = path, columns = thermo_columns, overwrite = true }
    t:close()
    assert.are.equal(2, #lines_of(path))
  end)

  it("resumes at a checkpoint's offset, dropping the rows written after it", function()
    local path = dir .. "/resume.dat"
    local t = vitrify.table.new{ path = path, columns = thermo_columns }
    for step = 0, 2 do t:add{ step, step * 0.001, 300, 1000 } end
    local checkpoint = t:offset()
    assert.are.equal(#slurp(path), checkpoint)
    for step = 3, 5 do t:add{ step, step * 0.001, 300, 1000 } end
    t:close() -- the run dies here

    local resumed = vitrify.table.open{ path = path, columns = thermo_columns, resume_offset = checkpoint }
    assert.are.equal(checkpoint, resumed:offset())
    for step = 3, 4 do resumed:add{ step, step * 0.001, 300, 1000 } end
    resumed:close()
    local steps = {}
    for k, line in ipairs(lines_of(path)) do if k > 2 then steps[#steps + 1] = numbers_of(line)[1] end end
    assert.are.same({ 0, 1, 2, 3, 4 }, steps)

    -- Within one run, too.
    local again = vitrify.table.open{ path = path, columns = thermo_columns, resume_offset = #slurp(path) }
    local mark = again:offset()
    again:add{ 9, 0.009, 300, 1000 }
    again:truncate_to(mark)
    again:add{ 5, 0.005, 300, 1000 }
    again:close()
    assert.are.same({ 5, 0.005, 300, 1000 }, numbers_of(lines_of(path)[8]))
    assert.are.equal(8, #lines_of(path))
  end)

  it("refuses to resume a file that does not match", function()
    local path = dir .. "/mismatch.dat"
    local t = vitrify.table.new{ path = path, columns = thermo_columns }
    t:add{ 0, 0, 300, 1000 }
    local size = t:offset()
    t:close()
    assert_contains(error_of(function()
      vitrify.table.open{ path = path, columns = { { "step", "" }, { "T", "K" } }, resume_offset = size }
    end), "mismatch.dat has columns step, time (ps), T (K), V (Å³), not step, T (K)")
    assert_contains(error_of(function()
      vitrify.table.open{ path = path, columns = thermo_columns, resume_offset = size + 10 }
    end), "it has only " .. size .. " bytes")
    assert_contains(error_of(function()
      vitrify.table.open{ path = path, columns = thermo_columns, resume_offset = size - 3 }
    end), "not the end of a line")
    assert_contains(error_of(function()
      vitrify.table.open{ path = path, columns = thermo_columns, resume_offset = 5 }
    end), "cuts into the")
    assert_contains(error_of(function()
      vitrify.table.open{ path = dir .. "/none.dat", columns = thermo_columns, resume_offset = 0 }
    end), "none.dat: no such file")
    assert.are.equal(size, #slurp(path))
  end)
end)

describe("vitrify.plot", function()
  local dir = helpers.scratch("output_plot")
  local data = dir .. "/thermo.dat"
  local t = vitrify.table.new{ path = data, columns = thermo_columns, title = "fake heating and cooling" }
  for k = 0, 20 do t:add{ k, k * 0.1, 300 + 10 * k, 1000 + k + 0.05 * k * k } end
  t:new_block("cooling")
  for k = 20, 0, -1 do t:add{ k, 2 + k * 0.1, 300 + 10 * k, 1000 + 0.8 * k } end
  t:close()

  local function is_png(path)
    local bytes = slurp(path)
    return #bytes > 1000 and bytes:sub(1, 8) == "\137PNG\r\n\26\n"
  end

  it("writes a self-contained .gp beside the PNG and runs gnuplot on it", function()
    local png, gp = vitrify.plot{ data = data, output = dir .. "/V_T.png", x = "T", y = "V",
                                  title = "Volume" }
    assert.are.equal(dir .. "/V_T.png", png)
    assert.are.equal(dir .. "/V_T.gp", gp)
    assert.is_true(is_png(png))
    local script = slurp(gp)
    assert_contains(script, "set terminal pngcairo size 800,600 enhanced")
    assert_contains(script, "set encoding utf8")
    assert_contains(script, "set xlabel 'T (K)' noenhanced")
    assert_contains(script, "set ylabel 'V (Å³)' noenhanced")
    assert_contains(script, "plot 'thermo.dat' using 3:4 with lines notitle")
    -- Re-run by hand from another folder, after the PNG is gone.
    os.remove(png)
    assert.is_true(os.execute("cd / && gnuplot '" .. gp .. "' 2>/dev/null"))
    assert.is_true(is_png(png))
  end)

  it("draws several series and several panels", function()
    local png, gp = vitrify.plot{ output = dir .. "/hysteresis.png", x = "T", series = {
      { data = data, y = "V", index = 0, title = "heating" },
      { data = data, y = 4, index = 1, title = "cooling", with = "points" } } }
    assert.is_true(is_png(png))
    local script = slurp(gp)
    assert_contains(script, "plot 'thermo.dat' index 0 using 3:4 with lines title 'heating', \\\n")
    assert_contains(script, "'thermo.dat' index 1 using 3:4 with points title 'cooling'")

    png, gp = vitrify.plot.panels{ output = dir .. "/panels.png", title = "summary", plots = {
      { data = data, x = "T", y = { "V", "time" }, ylabel = "V (Å^3), t (ps)" },
      { data = data, x = "step", y = "T", yrange = { false, 600 } } } }
    assert.is_true(is_png(png))
    script = slurp(gp)
    assert_contains(script, "set terminal pngcairo size 640,840")
    assert_contains(script, "set multiplot layout 2,1 title 'summary'")
    assert_contains(script, "title 'time' noenhanced")
    assert_contains(script, "set yrange [*:600]")
    assert_contains(script, "unset multiplot")
  end)

  it("fails clearly on an unknown column, before writing anything", function()
    local err = error_of(function()
      vitrify.plot{ data = data, output = dir .. "/bad.png", x = "T", y = "Vol" }
    end)
    assert_contains(err, "thermo.dat has no column 'Vol' (columns: step, time, T, V)")
    assert.is_false(helpers.exists(dir .. "/bad.gp"))
    assert_contains(error_of(function()
      vitrify.plot{ data = data, output = dir .. "/bad.png", x = 9, y = "V" }
    end), "has 4 columns, not 9")
    assert_contains(error_of(function()
      vitrify.plot{ data = data, output = dir .. "/bad.svg", x = "T", y = "V" }
    end), "output must be a .png file")
  end)

  it("names the .gp file, which stays usable, when gnuplot cannot run", function()
    local program = vitrify.plot.program
    vitrify.plot.program = dir .. "/no-such-gnuplot"
    local ok, err = pcall(vitrify.plot, { data = data, output = dir .. "/later.png", x = "T", y = "V" })
    vitrify.plot.program = program
    assert.is_false(ok)
    assert_contains(tostring(err), "later.gp was written")
    assert.is_true(os.execute("gnuplot '" .. dir .. "/later.gp' 2>/dev/null"))
    assert.is_true(is_png(dir .. "/later.png"))
  end)

  it("reports gnuplot's own complaint with the script's name", function()
    local err = error_of(function()
      vitrify.plot{ data = data, output = dir .. "/broken.png", x = "T", y = "V", key = "nonsense here" }
    end)
    assert_contains(err, "gnuplot failed on " .. dir .. "/broken.gp")
  end)
end)

-- A small system: 4 atoms of 2 types, some outside the cell, one moving.
local function small_system(box)
  local sys = core.system(4, 2)
  sys:set_box(box)
  local positions = { { 0.1, 1.0, 3.0 }, { 20.0, -3.0, 5.0 }, { 5.3, 8.4, 13.9 }, { -7.3, 20.2, -11.4 } }
  for i, r in ipairs(positions) do sys:set_position(i, r[1], r[2], r[3]) end
  sys:set_type(3, 2)
  sys:set_velocity(1, 1.5, -2.25, 3.125)
  return sys
end

local orthorhombic = { lo = { -5, -6, -7 }, hi = { 5, 6, 7 } }
local triclinic = { lo = { -1, 0.5, 2 }, hi = { 9, 8.5, 14 }, tilt = { 2.5, -1.5, 3 } }

describe("LAMMPS dump frames", function()
  local dir = helpers.scratch("output_dump")

  it("write an orthorhombic frame as LAMMPS does, wrapped by default", function()
    local path = dir .. "/ortho.dump"
    vitrify.write(small_system(orthorhombic), path, { step = 42 })
    assert.are.same({
      "ITEM: TIMESTEP", "42",
      "ITEM: NUMBER OF ATOMS", "4",
      "ITEM: BOX BOUNDS pp pp pp",
      "-5.0000000000000000e+00 5.0000000000000000e+00",
      "-6.0000000000000000e+00 6.0000000000000000e+00",
      "-7.0000000000000000e+00 7.0000000000000000e+00",
      "ITEM: ATOMS id type x y z",
      "1 1 0.1 1 3",
      "2 1 0 -3 5",
      "3 2 -4.7 -3.6 -0.1",
      "4 1 2.7 -3.8 2.6",
    }, lines_of(path))
  end)

  it("write a triclinic frame with LAMMPS's bounding-box bounds, appending frames", function()
    local path = dir .. "/tri.dump"
    local sys = small_system(triclinic)
    vitrify.write(sys, path, { step = 0, fields = { "id", "type", "xu", "yu", "zu", "vx", "vy", "vz" } })
    vitrify.write(sys, path, { step = 10, time = 0.01, append = true,
                               fields = { "id", "type", "x", "y", "z", "ix", "iy", "iz" } })
    local lines = lines_of(path)
    assert.are.same({
      "ITEM: TIMESTEP", "0",
      "ITEM: NUMBER OF ATOMS", "4",
      "ITEM: BOX BOUNDS xy xz yz pp pp pp",
      -- xlo + min(0, xy, xz, xy + xz), xhi + max(...), xy; ylo + min(0, yz), ...; zlo zhi yz
      "-2.5000000000000000e+00 1.1500000000000000e+01 2.5000000000000000e+00",
      "5.0000000000000000e-01 1.1500000000000000e+01 -1.5000000000000000e+00",
      "2.0000000000000000e+00 1.4000000000000000e+01 3.0000000000000000e+00",
      "ITEM: ATOMS id type xu yu zu vx vy vz",
      "1 1 0.1 1 3 1.5 -2.25 3.125",
    }, { table.unpack(lines, 1, 10) })
    assert.are.equal("2 1 20 -3 5 0 0 0", lines[11])
    assert.are.same({ "ITEM: TIME", "0.01", "ITEM: TIMESTEP", "10" }, { table.unpack(lines, 14, 17) })
    assert.are.equal("ITEM: ATOMS id type x y z ix iy iz", lines[24])
    -- Atom 2 at (20, -3, 5) is (2.5, 5, 5) two cells along a and one back along b.
    assert.are.equal("2 1 2.5 5 5 2 -1 0", lines[26])
    assert.are.equal(28, #lines)
  end)

  it("reject columns they cannot write", function()
    assert_contains(error_of(function()
      vitrify.write(small_system(orthorhombic), dir .. "/bad.dump", { fields = { "id", "type", "q" } })
    end), "cannot write dump columns 'id type q'")
    assert_contains(error_of(function()
      vitrify.write(small_system(orthorhombic), dir .. "/bad.dump", { stride = 2 })
    end), "unknown option 'stride'")
    assert_contains(error_of(function()
      vitrify.write(small_system(orthorhombic), dir .. "/no/such/dir/x.dump")
    end), "no/such/dir/x.dump")
  end)

  -- LAMMPS reads the same system from a data file vitrify writes and dumps it; headers
  -- must agree character for character, atoms number for number.
  local function compare_with_lammps(label, box)
    local work = helpers.scratch("output_dump_" .. label)
    local sys = small_system(box)
    vitrify.write(sys, work .. "/system.data")
    local wrapped = { "id", "type", "x", "y", "z", "ix", "iy", "iz", "vx", "vy", "vz", "fx", "fy", "fz" }
    local unwrapped = { "id", "type", "xu", "yu", "zu" }
    lammps.run(table.concat({
      "units metal", "atom_style full", "boundary p p p", "read_data system.data",
      "pair_style zero 1.0", "pair_coeff * *",
      "write_dump all custom lammps_wrapped.dump " .. table.concat(wrapped, " ") .. " modify sort id",
      "write_dump all custom lammps_unwrapped.dump " .. table.concat(unwrapped, " ") .. " modify sort id",
    }, "\n") .. "\n", work)
    for name, fields in pairs({ wrapped = wrapped, unwrapped = unwrapped }) do
      vitrify.write(sys, work .. "/vitrify_" .. name .. ".dump", { fields = fields })
      local mine, theirs = lines_of(work .. "/vitrify_" .. name .. ".dump"),
                           lines_of(work .. "/lammps_" .. name .. ".dump")
      assert.are.equal(#theirs, #mine)
      for k = 1, 9 do assert.are.equal(theirs[k], mine[k], label .. " " .. name .. " header line " .. k) end
      for k = 10, #theirs do
        local a, b = numbers_of(mine[k]), numbers_of(theirs[k])
        assert.are.equal(#b, #a)
        for c = 1, #b do
          assert.is_true(math.abs(a[c] - b[c]) <= 1e-5 * math.max(1, math.abs(b[c])),
            string.format("%s %s line %d: '%s' vs LAMMPS '%s'", label, name, k, mine[k], theirs[k]))
        end
      end
    end
  end

  it("agree with LAMMPS's write_dump for an orthorhombic cell", function()
    compare_with_lammps("orthorhombic", orthorhombic)
  end)

  it("agree with LAMMPS's write_dump for a triclinic cell", function()
    compare_with_lammps("triclinic", triclinic)
  end)
end)

describe("vitrify.trajectory", function()
  local dir = helpers.scratch("output_trajectory")

  local function steps_in(path)
    local text, steps = slurp(path), {}
    for step in text:gmatch("ITEM: TIMESTEP\n(%d+)\n") do steps[#steps + 1] = tonumber(step) end
    for step in text:gmatch('comment="step=(%d+)') do steps[#steps + 1] = tonumber(step) end
    return steps
  end

  it("appends extended XYZ frames every M steps, with step and time", function()
    local path = dir .. "/run.xyz"
    local sys = small_system(triclinic)
    local traj = vitrify.trajectory.new{ path = path, every = 5 }
    local written = {}
    for step = 0, 12 do
      if traj:write(sys, step, step * 0.002) then written[#written + 1] = step end
    end
    assert.are.same({ 0, 5, 10 }, written)
    assert.are.same({ 0, 5, 10 }, steps_in(path))
    assert_contains(slurp(path), 'comment="step=10 time=0.02"')
    assert.are.equal(3 * 6, #lines_of(path))
    assert.are.equal(#slurp(path), traj:offset())
  end)

  it("appends dump frames, replacing an old file only when asked", function()
    local path = dir .. "/run.dump"
    helpers.write(path, "old\n")
    assert_contains(error_of(function() vitrify.trajectory.new{ path = path } end), path .. " already exists")
    assert.are.equal("old\n", slurp(path))
    local sys = small_system(orthorhombic)
    local traj = vitrify.trajectory.new{ path = path, every = 2, overwrite = true,
                                         fields = { "id", "type", "xu", "yu", "zu" } }
    for step = 0, 4 do traj:write(sys, step, step * 0.001) end
    assert.are.same({ 0, 2, 4 }, steps_in(path))
    assert.are.equal("ITEM: TIME", lines_of(path)[1])
    assert.are.equal(3, count(slurp(path), "ITEM: ATOMS id type xu yu zu\n"))
    assert_contains(error_of(function() vitrify.trajectory.new{ path = dir .. "/x.xyz", fields = {} } end),
      "fields apply to LAMMPS dumps")
    assert_contains(error_of(function() vitrify.trajectory.new{ path = dir .. "/x.pdb" } end),
      "cannot tell the format of")
  end)

  for _, ext in ipairs({ "xyz", "dump" }) do
    it("resumes a ." .. ext .. " trajectory without repeating or losing frames", function()
      local path = dir .. "/resume." .. ext
      local sys = small_system(orthorhombic)
      local traj = vitrify.trajectory.new{ path = path, every = 10 }
      local checkpoint
      for step = 0, 50 do
        traj:write(sys, step)
        if step == 20 then checkpoint = traj:offset() end -- saved after the frame of step 20
      end
      assert.are.same({ 0, 10, 20, 30, 40, 50 }, steps_in(path))

      -- The run restarts from its checkpoint at step 20 and goes on to 40.
      local resumed = vitrify.trajectory.open{ path = path, every = 10, resume_offset = checkpoint }
      assert.are.same({ 0, 10, 20 }, steps_in(path))
      for step = 20, 40 do resumed:write(sys, step) end
      assert.are.same({ 0, 10, 20, 30, 40 }, steps_in(path))
      assert_contains(error_of(function() resumed:write(sys, 10) end), "step 10 comes before the last frame")

      -- Cutting back within one run.
      resumed:truncate_to(checkpoint)
      assert.are.same({ 0, 10, 20 }, steps_in(path))
      assert.is_true(resumed:write(sys, 30))
      assert.are.same({ 0, 10, 20, 30 }, steps_in(path))
      assert.are.equal(#slurp(path), resumed:offset())
    end)
  end
end)
