// Stage 9 of the image job: commit, in two steps around the decoding. reserve() claims the
// output name from the sink before any pixel is decoded (or learns that the input is skipped:
// up to date, or the conflict policy says so); commit() hands the encoded bytes over. A Write
// reservation that is not committed (the job failed or was canceled in between) is released
// when the stage is destroyed, so every early return gives the name back.
//
// Threading: one CommitStage per job, on the worker running it; the sink is shared and
// thread-safe. The sink must outlive the stage.
#pragma once

#include "imageresult.h"
#include "sink.h"
#include "stageresult.h"

#include <QByteArray>
#include <optional>

namespace sluice {

class CommitStage
{
public:
    explicit CommitStage(Sink &sink);
    ~CommitStage(); // releases a Write reservation that was not committed
    CommitStage(const CommitStage &) = delete;
    CommitStage &operator=(const CommitStage &) = delete;

    // Asks the sink for the output name. The reservation is held only when it says Write.
    const Reservation &reserve(const OutputRequest &request);
    // For a reservation that says not to write: Skipped (UpToDate or OutputExists, with
    // `result` as detail) or a permanent failure with the sink's message. nullopt for Write.
    std::optional<TaskOutcome> unlessWriting(ImageResult result) const;

    // In: the encoded bytes of the reserved output. Out: what the sink wrote (path, bytes), or
    // Canceled, Blocked (the output disk is full: the batch pauses), or a transient or
    // permanent failure. The reservation is consumed either way.
    StageResult<CommitResult> commit(const QByteArray &encoded, const TaskContext &ctx);

private:
    Sink &m_sink;
    Reservation m_reservation;
    bool m_held = false;
};

} // namespace sluice
