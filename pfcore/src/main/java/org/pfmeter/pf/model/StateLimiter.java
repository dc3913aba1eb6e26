package org.pfmeter.pf.model;

/**
 * One state limiter as DIOCGETNSTATELIM reports it ({@code struct pfioc_statelim}, pfvar.h 1.548),
 * components named after the struct's fields. The kernel keeps no description (pf_statelim_add()
 * does not store it), so there is none here.
 *
 * @param id          1 … 255, what rules name it by ({@code state limiter NAME} in pf.conf)
 * @param limit       the most states the limiter's rules may hold at once
 * @param rateLimit   {@code rate.limit}: states created per {@code rateSeconds}; 0 when no rate is set
 * @param inuse       states the limiter holds now (gauge)
 * @param admitted    states it let through (counter)
 * @param hardlimited states it refused because {@code limit} was reached (counter)
 * @param ratelimited states it refused because of the rate (counter)
 */
public record StateLimiter(int id, String name, long limit, long rateLimit, long rateSeconds, long inuse, long admitted,
        long hardlimited, long ratelimited) {
}
