// eventloop4j examples tour: circuitBreakerExample, the JavaScript original of the Java port.
// The lines between 'seed: begin' and 'seed: end' are the seed document's code block, verbatim.
// --- seed: begin ---
// Circuit breaker for fault tolerance
class CircuitBreaker {
    constructor(options = {}) {
        this.failureThreshold = options.failureThreshold || 5;
        this.resetTimeout = options.resetTimeout || 60000;
        this.monitoringPeriod = options.monitoringPeriod || 60000;
        
        this.state = 'CLOSED'; // CLOSED, OPEN, HALF_OPEN
        this.failureCount = 0;
        this.lastFailureTime = null;
        this.nextAttemptTime = null;
        this.successCount = 0;
    }
    
    async execute(fn) {
        if (this.state === 'OPEN') {
            if (Date.now() < this.nextAttemptTime) {
                throw new Error('Circuit breaker is OPEN');
            } else {
                this.state = 'HALF_OPEN';
            }
        }
        
        try {
            const result = await fn();
            this.onSuccess();
            return result;
        } catch (error) {
            this.onFailure();
            throw error;
        }
    }
    
    onSuccess() {
        this.failureCount = 0;
        
        if (this.state === 'HALF_OPEN') {
            this.successCount++;
            if (this.successCount >= 3) {
                this.state = 'CLOSED';
                this.successCount = 0;
            }
        }
    }
    
    onFailure() {
        this.failureCount++;
        this.lastFailureTime = Date.now();
        
        if (this.failureCount >= this.failureThreshold) {
            this.state = 'OPEN';
            this.nextAttemptTime = Date.now() + this.resetTimeout;
        }
    }
    
    getState() {
        return {
            state: this.state,
            failureCount: this.failureCount,
            lastFailureTime: this.lastFailureTime,
            nextAttemptTime: this.nextAttemptTime
        };
    }
}

// Usage
async function circuitBreakerExample() {
    const circuitBreaker = new CircuitBreaker({
        failureThreshold: 3,
        resetTimeout: 5000
    });
    
    // Simulate unreliable service
    let shouldFail = true;
    const unreliableService = async () => {
        if (shouldFail) {
            throw new Error('Service unavailable');
        }
        return 'Service response';
    };
    
    try {
        // These will fail and eventually open the circuit
        for (let i = 0; i < 5; i++) {
            try {
                const result = await circuitBreaker.execute(unreliableService);
                console.log('Success:', result);
            } catch (error) {
                console.log('Failed:', error.message);
            }
            await new Promise(resolve => setTimeout(resolve, 1000));
        }
        
        console.log('Circuit state:', circuitBreaker.getState());
        
        // Wait for reset timeout
        await new Promise(resolve => setTimeout(resolve, 6000));
        
        // Now service should work
        shouldFail = false;
        const result = await circuitBreaker.execute(unreliableService);
        console.log('Final success:', result);
        
    } catch (error) {
        console.error('Circuit breaker error:', error.message);
    }
}
// --- seed: end ---

// Not in the seed: run it.
circuitBreakerExample();
