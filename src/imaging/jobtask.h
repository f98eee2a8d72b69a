// The pool task for one input: processImage() plus what a journaled job adds around it. Both
// front ends (sluice-cli's Feeder and the GUI's BatchFeeder) submit what this returns.
//
// With a journal, what earlier runs left decides (Journal::Previous):
//   - quarantined, or in flight at two crashes: a permanent failure with the reason, recorded
//     at once so it stays quarantined;
//   - done, and its output still exists: Skipped (ImageResult::Skip::DoneBefore), not redone;
//   - in flight at one crash: run alone (a cost above any memory budget), so that a second
//     crash convicts this input and no innocent neighbour;
//   - otherwise: run, recording "started" and the reserved output name as it goes.
#pragma once

#include "imagejob.h"
#include "journal.h"

#include <functional>
#include <memory>
#include <pooltypes.h>

namespace sluice {

// Runs inside the task before the image job, on the worker thread (the GUI's tests slow tasks
// down with it; it should watch ctx.isCanceled()).
using TaskHook = std::function<void(const TaskContext &ctx)>;

// The memory estimate of an input for the pool's budget: its size (a file's, or an archive
// entry's declared size, else a typical photo's) through estimateCostBytes().
qint64 costOf(const InputItem &item, const Recipe &recipe);

// `cost` is the memory estimate for a normal run. The sink, recipe and journal are shared with
// the task, which may outlive its submitter after a shutdown deadline.
Task makeJobTask(const InputItem &item, quint64 tag, std::shared_ptr<const Recipe> recipe,
                 std::shared_ptr<Sink> sink, std::shared_ptr<Journal> journal, qint64 cost,
                 TaskHook hook = {});

} // namespace sluice
