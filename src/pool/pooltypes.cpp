#include "pooltypes.h"

#include <QCoreApplication>

namespace sluice {

QString toString(BatchState state)
{
    switch (state) {
    case BatchState::Queued:
        return QCoreApplication::translate("sluice", "Queued");
    case BatchState::Running:
        return QCoreApplication::translate("sluice", "Running");
    case BatchState::Pausing:
        return QCoreApplication::translate("sluice", "Pausing");
    case BatchState::Paused:
        return QCoreApplication::translate("sluice", "Paused");
    case BatchState::Canceling:
        return QCoreApplication::translate("sluice", "Canceling");
    case BatchState::Finished:
        return QCoreApplication::translate("sluice", "Finished");
    case BatchState::Canceled:
        return QCoreApplication::translate("sluice", "Canceled");
    }
    return {};
}

QString toString(ResultStatus status)
{
    switch (status) {
    case ResultStatus::Done:
        return QCoreApplication::translate("sluice", "done");
    case ResultStatus::Skipped:
        return QCoreApplication::translate("sluice", "skipped");
    case ResultStatus::Failed:
        return QCoreApplication::translate("sluice", "failed");
    case ResultStatus::Canceled:
        return QCoreApplication::translate("sluice", "canceled");
    }
    return {};
}

QString statusKey(ResultStatus status)
{
    switch (status) {
    case ResultStatus::Done:
        return QStringLiteral("done");
    case ResultStatus::Skipped:
        return QStringLiteral("skipped");
    case ResultStatus::Failed:
        return QStringLiteral("failed");
    case ResultStatus::Canceled:
        return QStringLiteral("canceled");
    }
    return {};
}

QString toString(Priority priority)
{
    switch (priority) {
    case Priority::High:
        return QCoreApplication::translate("sluice", "High");
    case Priority::Normal:
        return QCoreApplication::translate("sluice", "Normal");
    case Priority::Low:
        return QCoreApplication::translate("sluice", "Low");
    }
    return {};
}

QString toString(SubmitStatus status)
{
    switch (status) {
    case SubmitStatus::Accepted:
        return QStringLiteral("accepted");
    case SubmitStatus::WouldBlock:
        return QStringLiteral("batch queue full");
    case SubmitStatus::TimedOut:
        return QStringLiteral("timed out waiting for room in the batch queue");
    case SubmitStatus::UnknownBatch:
        return QStringLiteral("unknown batch");
    case SubmitStatus::BatchClosed:
        return QStringLiteral("batch closed");
    case SubmitStatus::BatchCanceled:
        return QStringLiteral("batch canceled");
    case SubmitStatus::PoolShutDown:
        return QStringLiteral("pool shut down");
    }
    return {};
}

} // namespace sluice
