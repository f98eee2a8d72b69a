#include <QtTest>
#include <inputitem.h>

using namespace sluice;

class tst_InputItem : public QObject
{
    Q_OBJECT

private slots:
    void shardIsStableAndSpread();
    void displayName();
};

void tst_InputItem::shardIsStableAndSpread()
{
    const InputItem a =
        InputItem::fromFile(QStringLiteral("/x/photos/a.jpg"), QStringLiteral("photos/a.jpg"));
    QCOMPARE(a.shard(1), 0);
    QCOMPARE(a.shard(0), 0);
    // FNV-1a is fixed: the same path lands in the same shard on every host and run.
    const InputItem same = InputItem::fromFile(QStringLiteral("/elsewhere/photos/a.jpg"),
                                               QStringLiteral("photos/a.jpg"));
    QCOMPARE(a.shard(7), same.shard(7));

    QList<int> perShard(4, 0);
    for (int i = 0; i < 400; ++i) {
        const InputItem item =
            InputItem::fromFile(QString(), QStringLiteral("photos/img_%1.jpg").arg(i));
        const int s = item.shard(4);
        QVERIFY(s >= 0 && s < 4);
        ++perShard[s];
    }
    for (int count : perShard)
        QVERIFY2(count > 60, "shards should be roughly even");
}

void tst_InputItem::displayName()
{
    QCOMPARE(
        InputItem::fromFile(QStringLiteral("/p/a.jpg"), QStringLiteral("p/a.jpg")).displayName(),
        QStringLiteral("p/a.jpg"));
    QCOMPARE(InputItem::fromArchiveEntry(QStringLiteral("/s.zip"), QStringLiteral("d/x.jpg"),
                                         QStringLiteral("s/d/x.jpg"), nullptr)
                 .displayName(),
             QStringLiteral("/s.zip:d/x.jpg"));
    const InputItem rejected = InputItem::rejected(QStringLiteral("/s.zip"),
                                                   QStringLiteral("s/../x"), QStringLiteral("no"));
    QVERIFY(rejected.isRejected());
}

QTEST_GUILESS_MAIN(tst_InputItem)
#include "tst_inputitem.moc"
