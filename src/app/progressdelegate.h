// Draws a batch's progress column as a progress bar (done + failed + skipped of the total so
// far), with the model's text on it. No widget per row: the style paints straight into the view.
#pragma once

#include <QStyledItemDelegate>

namespace sluice::app {

class ProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace sluice::app
