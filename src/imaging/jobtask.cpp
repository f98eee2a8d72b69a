#include "jobtask.h"

#include "localpath.h"

#include <QFileInfo>
#include <limits>

namespace sluice {

namespace {

// Above any memory budget: MemoryBudget lets such a task start only when nothing else runs, and
// nothing else start while it does.
constexpr qint64 AloneCost = std::numeric_limits<qint64>::max() / 4;
// An archive entry without a declared size: assume a typical compressed photo.
constexpr qint64 EntryGuessBytes = 4 * 1024 * 1024;

ImageResult::Skip skipOf(InputItem::ScanSkip why)
{
    switch (why) {
    case InputItem::ScanSkip::Hidden:
        return ImageResult::Skip::Hidden;
    case InputItem::ScanSkip::SluiceOutput:
        return ImageResult::Skip::SluiceOutput;
    case InputItem::ScanSkip::LinkLoop:
        return ImageResult::Skip::LinkLoop;
    case InputItem::ScanSkip::LinkRepeat:
        return ImageResult::Skip::LinkRepeat;
    case InputItem::ScanSkip::None:
        break;
    }
    return ImageResult::Skip::None;
}

} // namespace

qint64 costOf(const InputItem &item, const Recipe &recipe)
{
    qint64 bytes = item.sizeHint;
    if (bytes < 0)
        bytes = item.isArchiveEntry() ? EntryGuessBytes : localpath::status(item.sourcePath).size;
    return estimateCostBytes(bytes, recipe);
}

Task makeJobTask(const InputItem &item, quint64 tag, std::shared_ptr<const Recipe> recipe,
                 std::shared_ptr<Sink> sink, std::shared_ptr<Journal> journal, qint64 cost,
                 TaskHook hook)
{
    if (item.isSkipped()) { // the scanner's decision: nothing to read, nothing to journal
        ImageResult result;
        result.skip = skipOf(item.scanSkip);
        return Task(
            [result](const TaskContext &) {
                return TaskOutcome::skipped(QString(), QVariant::fromValue(result));
            },
            0, tag);
    }
    if (journal) {
        const Journal::Previous previous = journal->previous(item);
        if (Journal::isPoison(previous)) {
            const QString reason = Journal::quarantineReason(previous);
            if (previous.status != Journal::Previous::Status::Quarantined)
                journal->quarantined(tag, item, reason);
            return Task(
                [reason](const TaskContext &) { return TaskOutcome::permanentFailure(reason); }, 0,
                tag);
        }
        if (previous.status == Journal::Previous::Status::Done &&
            QFileInfo(previous.output).isFile()) {
            ImageResult result;
            result.skip = ImageResult::Skip::DoneBefore;
            result.outputPath = previous.output;
            return Task(
                [result](const TaskContext &) {
                    return TaskOutcome::skipped(QStringLiteral("done in an earlier run"),
                                                QVariant::fromValue(result));
                },
                0, tag);
        }
        if (Journal::runAlone(previous))
            cost = AloneCost;
    }
    return Task(
        [item, tag, recipe = std::move(recipe), sink = std::move(sink),
         journal = std::move(journal), hook = std::move(hook)](const TaskContext &ctx) {
            if (hook)
                hook(ctx);
            JobOptions options;
            if (journal) {
                journal->started(tag, item);
                options.onReserved = [&journal, tag](const Reservation &reservation) {
                    journal->reserved(tag, reservation);
                };
            }
            return processImage(item, *recipe, *sink, ctx, options);
        },
        cost, tag);
}

} // namespace sluice
