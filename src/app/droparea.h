// A frame that accepts folders, images and ZIP archives dropped from a file manager and
// reports them as local paths.
#pragma once

#include <QLabel>
#include <QStringList>

class QMimeData;

namespace sluice {

class DropArea : public QLabel
{
    Q_OBJECT
public:
    explicit DropArea(QWidget *parent = nullptr);

signals:
    void pathsDropped(const QStringList &paths);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    static QStringList localPaths(const QMimeData *mime);
};

} // namespace sluice
