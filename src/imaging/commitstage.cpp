#include "commitstage.h"

namespace sluice {

CommitStage::CommitStage(Sink &sink)
    : m_sink(sink)
{}

CommitStage::~CommitStage()
{
    if (m_held)
        m_sink.release(m_reservation);
}

const Reservation &CommitStage::reserve(const OutputRequest &request)
{
    Q_ASSERT(!m_held);
    m_reservation = m_sink.reserve(request);
    m_held = m_reservation.action == Reservation::Action::Write;
    return m_reservation;
}

std::optional<TaskOutcome> CommitStage::unlessWriting(ImageResult result) const
{
    switch (m_reservation.action) {
    case Reservation::Action::Write:
        return std::nullopt;
    case Reservation::Action::SkipUpToDate:
    case Reservation::Action::SkipExists:
        result.skip = m_reservation.action == Reservation::Action::SkipUpToDate
                          ? ImageResult::Skip::UpToDate
                          : ImageResult::Skip::OutputExists;
        return TaskOutcome::skipped(m_reservation.message, QVariant::fromValue(result));
    case Reservation::Action::Fail:
        break;
    }
    return TaskOutcome::permanentFailure(m_reservation.message);
}

StageResult<CommitResult> CommitStage::commit(const QByteArray &encoded, const TaskContext &ctx)
{
    Q_ASSERT(m_held);
    CommitResult written = m_sink.commit(m_reservation, encoded, ctx);
    m_held = false; // commit() consumed the reservation, whatever it returns
    if (written.canceled)
        return TaskOutcome::canceled();
    if (written.diskFull)
        return TaskOutcome::blocked(written.error); // the batch pauses; retries would not help
    if (!written.ok)
        return written.transient ? TaskOutcome::transientFailure(written.error)
                                 : TaskOutcome::permanentFailure(written.error);
    return written;
}

} // namespace sluice
