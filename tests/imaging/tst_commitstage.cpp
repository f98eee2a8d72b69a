#include "testimages.h"

#include <QtTest>
#include <commitstage.h>

using namespace sluice;
using namespace testimages;

namespace {

// Answers reserve() and commit() as told; counts every call.
class ScriptedSink final : public Sink
{
public:
    Reservation reservation;
    CommitResult commitResult;
    int reserves = 0, commits = 0, releases = 0;
    QByteArray committed;

    Reservation reserve(const OutputRequest &) override
    {
        ++reserves;
        return reservation;
    }
    CommitResult commit(const Reservation &r, const QByteArray &data, const TaskContext &) override
    {
        ++commits;
        committed = data;
        if (r.id != reservation.id)
            return {};
        return commitResult;
    }
    void release(const Reservation &r) override
    {
        if (r.id == reservation.id)
            ++releases;
    }
};

Reservation reservationOf(Reservation::Action action, const QString &message = {})
{
    Reservation reservation;
    reservation.action = action;
    reservation.path = QStringLiteral("out/a.jpg");
    reservation.message = message;
    reservation.id = 7;
    return reservation;
}

} // namespace

class tst_CommitStage : public QObject
{
    Q_OBJECT

private slots:
    void reservation_data();
    void reservation();
    void uncommittedWriteIsReleased();
    void commit_data();
    void commit();
};

void tst_CommitStage::reservation_data()
{
    QTest::addColumn<int>("action");
    QTest::addColumn<int>("kind"); // -1: go ahead and write
    QTest::addColumn<int>("skip");
    QTest::addColumn<QString>("message");
    QTest::newRow("write") << int(Reservation::Action::Write) << -1 << 0 << QString();
    QTest::newRow("up to date") << int(Reservation::Action::SkipUpToDate)
                                << int(OutcomeKind::Skipped) << int(ImageResult::Skip::UpToDate)
                                << "up to date";
    QTest::newRow("exists") << int(Reservation::Action::SkipExists) << int(OutcomeKind::Skipped)
                            << int(ImageResult::Skip::OutputExists) << "exists: out/a.jpg";
    QTest::newRow("fail") << int(Reservation::Action::Fail) << int(OutcomeKind::PermanentFailure)
                          << 0 << "name too long";
}

void tst_CommitStage::reservation()
{
    QFETCH(int, action);
    QFETCH(int, kind);
    QFETCH(int, skip);
    QFETCH(QString, message);
    ScriptedSink sink;
    sink.reservation = reservationOf(Reservation::Action(action), message);
    {
        CommitStage stage(sink);
        const Reservation &reserved = stage.reserve({});
        QCOMPARE(reserved.path, QStringLiteral("out/a.jpg"));
        QCOMPARE(reserved.id, quint64(7));
        ImageResult result;
        result.outputPath = reserved.path;
        result.elapsedMs = 3;
        const std::optional<TaskOutcome> outcome = stage.unlessWriting(result);
        QCOMPARE(outcome.has_value(), kind >= 0);
        if (outcome) {
            QCOMPARE(int(outcome->kind), kind);
            QCOMPARE(outcome->message, message);
            QCOMPARE(outcome->detail.isValid(), kind == int(OutcomeKind::Skipped));
            if (outcome->detail.isValid()) {
                const ImageResult detail = outcome->detail.value<ImageResult>();
                QCOMPARE(int(detail.skip), skip);
                QCOMPARE(detail.outputPath, QStringLiteral("out/a.jpg"));
                QCOMPARE(detail.elapsedMs, qint64(3));
            }
        }
    }
    QCOMPARE(sink.reserves, 1);
    QCOMPARE(sink.commits, 0);
    // Only a Write reservation is held, and given back when the job ends without a commit.
    QCOMPARE(sink.releases, kind < 0 ? 1 : 0);
}

void tst_CommitStage::uncommittedWriteIsReleased()
{
    ScriptedSink sink;
    sink.reservation = reservationOf(Reservation::Action::Write);
    {
        CommitStage stage(sink);
    } // nothing reserved: nothing to release
    QCOMPARE(sink.releases, 0);
    {
        CommitStage stage(sink);
        stage.reserve({});
        QCOMPARE(sink.releases, 0); // held until the stage ends
    }
    QCOMPARE(sink.releases, 1);
}

void tst_CommitStage::commit_data()
{
    QTest::addColumn<bool>("ok");
    QTest::addColumn<bool>("transient");
    QTest::addColumn<bool>("canceled");
    QTest::addColumn<bool>("diskFull");
    QTest::addColumn<int>("kind"); // -1: written
    QTest::addColumn<QString>("message");
    QTest::newRow("written") << true << false << false << false << -1 << QString();
    QTest::newRow("canceled") << false << false << true << false << int(OutcomeKind::Canceled)
                              << QString();
    QTest::newRow("disk full") << false << false << false << true << int(OutcomeKind::Blocked)
                               << "No space left on device";
    QTest::newRow("transient") << false << true << false << false
                               << int(OutcomeKind::TransientFailure) << "Input/output error";
    QTest::newRow("permanent") << false << false << false << false
                               << int(OutcomeKind::PermanentFailure) << "read-only file system";
}

// The reservation is consumed whatever commit() says: never released afterwards.
void tst_CommitStage::commit()
{
    QFETCH(bool, ok);
    QFETCH(bool, transient);
    QFETCH(bool, canceled);
    QFETCH(bool, diskFull);
    QFETCH(int, kind);
    QFETCH(QString, message);
    ScriptedSink sink;
    sink.reservation = reservationOf(Reservation::Action::Write);
    sink.commitResult = {ok,  transient, canceled, diskFull, message, QStringLiteral("/out/a.jpg"),
                         1234};
    FakeTask task;
    {
        CommitStage stage(sink);
        stage.reserve({});
        const StageResult<CommitResult> written = stage.commit("jpeg bytes", task.ctx);
        QCOMPARE(sink.committed, QByteArray("jpeg bytes"));
        QCOMPARE(bool(written), kind < 0);
        if (written) {
            QCOMPARE(written->path, QStringLiteral("/out/a.jpg"));
            QCOMPARE(written->bytes, qint64(1234));
        } else {
            QCOMPARE(int(written.stop().kind), kind);
            QCOMPARE(written.stop().message, message);
        }
    }
    QCOMPARE(sink.commits, 1);
    QCOMPARE(sink.releases, 0);
}

QTEST_GUILESS_MAIN(tst_CommitStage)
#include "tst_commitstage.moc"
