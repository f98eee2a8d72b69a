// The quit dialog says what happens to queued images (issue 14): they are offered again.
#include <QLabel>
#include <QTest>
#include <closedialog.h>

using namespace sluice::app;

class tst_CloseDialog : public QObject
{
    Q_OBJECT
private slots:
    void queuedImagesAreNotSaidToBeDropped()
    {
        CloseDialog dialog(2, 30);
        QString text;
        for (QLabel *label : dialog.findChildren<QLabel *>())
            text += label->text() + QLatin1Char(' ');
        QVERIFY2(text.contains(QLatin1String("30 s")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("resume")), qPrintable(text));
        QVERIFY2(!text.contains(QLatin1String("dropped")), qPrintable(text));
    }
};

QTEST_MAIN(tst_CloseDialog)
#include "tst_closedialog.moc"
