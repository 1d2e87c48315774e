package dev.callflux.reactor.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The response timeout of a connection, for its whole life: armed when a request has been written,
 * disarmed when its response is complete, it fails the exchange like Netty's {@code ReadTimeoutHandler}
 * (a {@link ReadTimeoutException} down the pipeline, then the channel is closed) when no read happened
 * for the timeout while armed.
 *
 * <p>Reactor Netty's own response timeout adds a {@code ReadTimeoutHandler} to the pipeline after each
 * request and removes it after the response, scheduling and cancelling a timer each time. This handler is
 * added once, when the connection is made, and keeps at most one timer per connection, which is moved
 * forward lazily: when it fires early (reads happened meanwhile), it is set again for the remaining time,
 * and when it fires while disarmed it is not set again. Arming and disarming only write fields.
 *
 * <p>Used on the channel's event loop only.
 */
final class ResponseTimeoutHandler extends ChannelInboundHandlerAdapter implements Runnable {

    static final String NAME = "callflux.ResponseTimeoutHandler";

    private ChannelHandlerContext ctx;
    private boolean armed;
    private long timeoutNanos;
    private long lastRead;
    private ScheduledFuture<?> timer;
    private long timerDeadline;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    /** A request was written: the timeout runs from now and from each read until {@link #disarm()}. */
    void arm(long timeoutNanos) {
        long now = System.nanoTime();
        this.timeoutNanos = timeoutNanos;
        this.lastRead = now;
        this.armed = true;
        long deadline = now + timeoutNanos;
        if (timer != null && deadline - timerDeadline < 0) {
            // A shorter timeout than the pending timer's: set it anew (never with one client's connections).
            timer.cancel(false);
            timer = null;
        }
        if (timer == null) {
            schedule(timeoutNanos, deadline);
        }
    }

    /** The response is complete (or abandoned): nothing is awaited on this connection any more. */
    void disarm() {
        armed = false;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (armed) {
            lastRead = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void run() {
        timer = null;
        if (!armed || ctx == null || !ctx.channel().isActive()) {
            return;
        }
        long idle = System.nanoTime() - lastRead;
        if (idle >= timeoutNanos) {
            armed = false;
            ctx.fireExceptionCaught(ReadTimeoutException.INSTANCE);
            ctx.close();
        } else {
            long remaining = timeoutNanos - idle;
            schedule(remaining, System.nanoTime() + remaining);
        }
    }

    private void schedule(long delayNanos, long deadline) {
        timerDeadline = deadline;
        timer = ctx.executor().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void stop() {
        armed = false;
        ScheduledFuture<?> t = timer;
        if (t != null) {
            timer = null;
            t.cancel(false);
        }
    }
}
