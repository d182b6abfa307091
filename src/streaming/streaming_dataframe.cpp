// StreamingDataFrame: each transformation is applied at once to an empty frame of the current
// schema, which checks it (Spark analyses a streaming plan when it is built) and yields the
// new schema, and is recorded to be replayed on every micro-batch.
#include <kafkasink/expressions.hpp>
#include <kafkasink/streaming.hpp>

#include "streaming/stream_plan.hpp"

namespace kafkasink {

namespace {

StreamingDataFrame with_step(const detail::StreamPlan& plan, detail::StreamStep step) {
  auto next = std::make_shared<detail::StreamPlan>(plan);
  next->empty = step(plan.empty);
  next->steps.push_back(std::move(step));
  return StreamingDataFrame(std::move(next));
}

}  // namespace

StreamingDataFrame::StreamingDataFrame(std::shared_ptr<const detail::StreamPlan> plan)
    : plan_(std::move(plan)) {}

const Schema& StreamingDataFrame::schema() const noexcept {
  return plan_->empty.schema();
}

std::vector<std::string> StreamingDataFrame::columns() const {
  return plan_->empty.columns();
}

StreamingDataFrame StreamingDataFrame::select(const std::vector<Column>& columns) const {
  return with_step(*plan_, [columns](const DataFrame& frame) { return frame.select(columns); });
}

StreamingDataFrame StreamingDataFrame::select_expr(
    const std::vector<std::string>& expressions) const {
  // Parsed once here, not on every batch.
  std::vector<Column> columns;
  columns.reserve(expressions.size());
  for (const std::string& text : expressions) columns.push_back(expr(text));
  return select(columns);
}

StreamingDataFrame StreamingDataFrame::with_column(const std::string& name,
                                                   const Column& column) const {
  return with_step(
      *plan_, [name, column](const DataFrame& frame) { return frame.with_column(name, column); });
}

Column StreamingDataFrame::operator[](const std::string& name) const {
  return plan_->empty[name];
}

DataStreamWriter StreamingDataFrame::write_stream() const {
  return DataStreamWriter(*this);
}

}  // namespace kafkasink
